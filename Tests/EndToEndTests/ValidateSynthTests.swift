import Foundation
import TestSupport
import Testing

@Suite("validate and synth through the binary")
struct ValidateSynthTests {
    static let exampleFolders = ["direct-stream", "on-demand", "kms-metrics", "fan-out", "multi-stack", "pass-through"]

    @Test("validate accepts the seed manifests and summarises them")
    func validateSeed() throws {
        let result = try reconcile(["validate"], in: PackagePaths.root.path)
        #expect(result.exitCode == 0, "\(result.output)")
        #expect(result.stdout == "Manifests are valid: 1 stack, 1 stream, 0 consumers.\n")
    }

    @Test("validate accepts every example", arguments: exampleFolders)
    func validateExample(_ folder: String) throws {
        let result = try reconcile(["validate", "examples/\(folder)"], in: PackagePaths.root.path)
        #expect(result.exitCode == 0, "\(result.output)")
        #expect(result.stdout.hasPrefix("Manifests are valid:"))
    }

    @Test("invalid manifests exit 1 with file:line:col, the line, a caret and a count")
    func validateReportsErrors() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        try scratch.write(
            "manifests/streams.yaml",
            validStreamManifest.replacingOccurrences(of: "shardCount: 1", with: "shardCount: 0\n  retentionHours: 48"))
        try scratch.write("manifests/.hidden/ignored.yaml", "not: [valid")
        try scratch.write("manifests/notes.txt", "not yaml")
        let result = try reconcile(["validate"], in: scratch.path)
        #expect(result.exitCode == 1)
        #expect(
            result.stderr.contains(
                """
                manifests/streams.yaml:6:15: error: spec.shardCount must be between 1 and 100000, found 0
                  shardCount: 0
                              ^
                """))
        #expect(
            result.stderr.contains(
                "manifests/streams.yaml:7:3: error: unknown key 'spec.retentionHours'; did you mean 'retentionPeriodHours'?"
            ))
        #expect(result.stderr.hasSuffix("2 errors in 1 file.\n"))
        #expect(!result.stderr.contains("\u{1B}["), "no colour without a terminal")
        #expect(result.stdout.isEmpty)
    }

    @Test("diagnostics show paths as given on the command line")
    func pathsAsGiven() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        try scratch.write("a/b/s.yml", "apiVersion: reconcile/v1\nkind: Strem\n")
        let result = try reconcile(["validate", "a"], in: scratch.path)
        #expect(result.exitCode == 1)
        #expect(result.stderr.hasPrefix("a/b/s.yml:2:7: error:"), "\(result.stderr)")
    }

    @Test("errors in several files are all reported in one run")
    func errorsAcrossFiles() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        try scratch.write("m/one.yaml", "apiVersion: reconcile/v2\nkind: Stack\nmetadata: {name: a}\n")
        try scratch.write("m/two.yaml", "a: [\n")
        let result = try reconcile(["validate", "m", "--no-color"], in: scratch.path)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("m/one.yaml:1:13: error:"))
        #expect(result.stderr.contains("m/two.yaml:"))
        #expect(result.stderr.hasSuffix("2 errors in 2 files.\n"))
    }

    /// The seed, every example that declares a stack, and a fixture with every stream property in a stack.
    static let stackExamples: [String] = {
        let examples = PackagePaths.root.appendingPathComponent("examples")
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []).sorted().filter {
            name in
            let folder = examples.appendingPathComponent(name)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return files.contains { file in
                file.hasSuffix(".yaml")
                    && ((try? String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)) ?? "").contains(
                        "kind: Stack")
            }
        }
        return ["manifests", "Tests/Fixtures/synth"] + folders.map { "examples/\($0)" }
    }()

    @Test("synth output of every example with a stack, and of the seed, passes cfn-lint", arguments: stackExamples)
    func synthPassesCfnLint(_ path: String) throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let result = try reconcile(["synth", path, "--out", scratch.path], in: PackagePaths.root.path)
        #expect(result.exitCode == 0, "\(result.output)")
        let templates = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter {
            $0.hasSuffix(".template.json")
        }
        #expect(!templates.isEmpty, "\(path) declares no stack? \(result.output)")
        for template in templates {
            let lint = try Subprocess.run("cfn-lint", [scratch.url.appendingPathComponent(template).path])
            #expect(lint.exitCode == 0, "cfn-lint on \(path)/\(template): \(lint.output)")
        }
    }

    @Test(
        "synth says so when no stack is declared (directly managed streams only)",
        arguments: ["direct-stream", "fan-out"])
    func synthWithoutStacks(_ folder: String) throws {
        let result = try reconcile(["synth", "examples/\(folder)"], in: PackagePaths.root.path)
        #expect(result.exitCode == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "No stacks declared; nothing to synthesize.\n")
    }

    @Test("synth of one stack prints exactly one JSON template")
    func synthSingleStackIsJSON() throws {
        let result = try reconcile(["synth"], in: PackagePaths.root.path)
        #expect(result.exitCode == 0, "\(result.output)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let resources = object?["Resources"] as? [String: Any]
        #expect(resources?["XyzKinesisDataStream"] != nil)
        #expect(object?["AWSTemplateFormatVersion"] as? String == "2010-09-09")
    }

    @Test("synth of several stacks heads each template with its address")
    func synthSeveralStacks() throws {
        let result = try reconcile(["synth", "examples/multi-stack"], in: PackagePaths.root.path)
        #expect(result.exitCode == 0, "\(result.output)")
        #expect(result.stdout.hasPrefix("# Stack/example-multi-base\n{"))
        #expect(result.stdout.contains("\n# Stack/example-multi-downstream\n{"))
        let single = try reconcile(
            ["synth", "examples/multi-stack", "--stack", "example-multi-downstream"], in: PackagePaths.root.path)
        #expect(single.stdout.hasPrefix("{"))
    }

    @Test("synth is byte-for-byte deterministic")
    func synthDeterministic() throws {
        for folder in Self.exampleFolders {
            let first = try reconcile(["synth", "examples/\(folder)"], in: PackagePaths.root.path)
            let second = try reconcile(["synth", "examples/\(folder)"], in: PackagePaths.root.path)
            #expect(first.exitCode == 0)
            #expect(first.stdout == second.stdout, "\(folder)")
        }
    }

    @Test("synth --out writes DIR/<stack>.template.json")
    func synthOut() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let result = try reconcile(
            ["synth", "manifests", "--out", scratch.url.appendingPathComponent("out/nested").path],
            in: PackagePaths.root.path)
        #expect(result.exitCode == 0, "\(result.output)")
        let file = scratch.url.appendingPathComponent("out/nested/xyz-infra-kinesis.template.json")
        let written = try String(contentsOf: file, encoding: .utf8)
        let printed = try reconcile(["synth", "manifests"], in: PackagePaths.root.path)
        #expect(written == printed.stdout)
    }

    @Test("synth refuses invalid manifests with exit 1 and prints no template")
    func synthInvalid() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        try scratch.write("bad.yaml", "apiVersion: reconcile/v1\nkind: Stack\nmetadata: {name: 9}\n")
        let result = try reconcile(["synth", "bad.yaml"], in: scratch.path)
        #expect(result.exitCode == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("bad.yaml:3:18: error:"))
    }
}
