import Foundation
import TestSupport
import Testing

/// Verbose runs of the scenarios' commands, success and failure paths, with a known
/// secret key and session token: neither, nor any signature, may appear in any output.
@Suite("reliability: secrets never reach the output")
struct ReliabilitySecretsTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETzKEY"
    static let token = "FwoGZXIvYXdzEXAMPLEzSESSIONzTOKENzQ2x0dGhpcyBpcyBhIHRlc3Q="

    @Test("plan, apply, ls, verify, destroy and failure paths with --verbose print no secret, token or signature")
    func noSecretsInOutput() throws {
        let workspace = try Workspace(copying: ["manifests", "examples/fan-out"], proxied: true)
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        workspace.extraEnvironment = [
            "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.token,
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEKEYID"
        ]
        var outputs: [(String, ProcessResult)] = []
        func run(_ arguments: String...) throws {
            outputs.append((arguments.joined(separator: " "), try workspace.reconcile(arguments: arguments)))
        }
        try run("validate", "--verbose", ".")
        try run("synth", "--verbose", ".")
        try run("plan", "--verbose", "--output", "json", "--out", "plan.json", ".")
        try run("plan", "--verbose", "--output", "markdown", "--prune", ".")
        try run("apply", "--verbose", "--dry-run", ".")
        try run("apply", "--verbose", ".")  // failure: no terminal, no --auto-approve
        // Faults: retries and failures are logged verbosely.
        try proxy.configure(#"{"faults": {"probability": 0.3, "seed": 11}}"#)
        try run("apply", "--verbose", "--auto-approve", "--concurrency", "2", "--timeout", "60", ".")
        try proxy.configure(#"{"faults": {"probability": 1.0, "seed": 1, "kinds": ["500"]}}"#)
        try run("plan", "--verbose", "--detailed-exitcode", ".")  // fails after every retry
        try proxy.configure("{}")
        try run("apply", "--verbose", "--auto-approve", ".")
        try run("apply", "--verbose", "--plan", "plan.json", ".")  // stale plan
        try run("ls", "--verbose", ".")
        try run("verify", "--verbose", ".")
        try run("policy", "--verbose", "--account", "123456789012", ".")
        // A failing stack with its events.
        try workspace.write(
            "failing.yaml",
            """
            apiVersion: reconcile/v1
            kind: Stack
            metadata:
              name: secret-failing
            spec:
              template:
                Resources:
                  Broken:
                    Type: AWS::CloudFormation::WaitConditionHandle
                    Metadata: {reconcile-test: fail}

            """)
        try run("apply", "--verbose", "--auto-approve", ".")
        try workspace.remove("failing.yaml")
        try run("destroy", "--verbose", "--auto-approve", ".")
        // Wrong endpoint: transport errors.
        workspace.extraEnvironment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1"
        workspace.extraEnvironment["AWS_MAX_ATTEMPTS"] = "2"
        try run("plan", "--verbose", ".")

        #expect(outputs.count == 16, "every command above must have run")
        for (command, result) in outputs {
            for needle in [Self.secret, Self.token, "Signature=", "SECRETzKEY", "SESSIONzTOKEN", "X-Amz-Security-Token"]
            {
                #expect(!result.output.contains(needle), "'\(needle)' in the output of \(command)")
            }
        }
        // The saved plan file too.
        let saved =
            (try? String(contentsOf: workspace.directory.appendingPathComponent("plan.json"), encoding: .utf8)) ?? ""
        #expect(!saved.isEmpty)
        #expect(!saved.contains(Self.secret) && !saved.contains(Self.token) && !saved.contains("Signature="))
        // Some of those runs really did fail, retry and talk to AWS.
        #expect(outputs.contains { $0.1.exitCode == 1 })
        #expect(outputs.contains { $0.1.stderr.contains("attempt") || $0.1.stderr.contains("retry") })
        Reliability.record("secrets", ["commands": outputs.count])
    }
}
