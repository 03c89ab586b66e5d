import Foundation
import TestSupport
import Testing

/// `mfa_serial`: on a terminal (a pseudo-terminal from `script`) the code is asked for, not
/// echoed, and sent with AssumeRole — as the AWS CLI does with the same files.
@Suite("credentials: an MFA code is asked for on a terminal")
struct MFATerminalTests {
    @Test("a role profile with mfa_serial prompts on the terminal without echo, then assumes the role")
    func promptsOnTerminal() async throws {
        let moto = try await blocking { try MotoServer() }
        defer { moto.stop() }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-mfa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try """
        [profile m]
        role_arn = arn:aws:iam::123456789012:role/deployer
        source_profile = base
        mfa_serial = arn:aws:iam::123456789012:mfa/alice
        """.write(to: home.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        try "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"
            .write(to: home.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        let environment = [
            "HOME": home.path, "AWS_CONFIG_FILE": home.path + "/config",
            "AWS_SHARED_CREDENTIALS_FILE": home.path + "/credentials", "AWS_REGION": "eu-central-1",
            "AWS_DEFAULT_REGION": "eu-central-1", "AWS_ENDPOINT_URL": moto.endpoint, "AWS_ACCESS_KEY_ID": "",
            "AWS_SECRET_ACCESS_KEY": ""
        ]
        // `script` gives the command a pseudo-terminal; the code is typed after the prompt appears
        // (getpass discards what was typed before it turns echo off).
        func onTerminal(_ command: String) async throws -> ProcessResult {
            try await blocking {
                try Subprocess.run(
                    "/bin/sh", ["-c", "(sleep 3; echo 246810) | script -q -e -c '\(command)' /dev/null"],
                    environment: environment)
            }
        }
        let result = try await onTerminal("\(PackagePaths.reconcileBinary) whoami --profile m")
        #expect(result.exitCode == 0, "\(result.output)")
        #expect(result.output.contains("Enter MFA code for arn:aws:iam::123456789012:mfa/alice"), "\(result.output)")
        #expect(result.output.contains("assumed-role/deployer/"), "\(result.output)")
        #expect(!result.output.contains("246810"), "the code was echoed: \(result.output)")
        let cli = try await onTerminal("aws sts get-caller-identity --profile m")
        #expect(cli.exitCode == 0 && cli.output.contains("assumed-role/deployer/"), "\(cli.output)")
    }
}
