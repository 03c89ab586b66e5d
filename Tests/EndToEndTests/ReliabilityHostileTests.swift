import Foundation
import TestSupport
import Testing

/// The bad-manifest corpus and generated hostile inputs through `plan` and `apply`
/// with the fault proxy in front of moto: exit 1, the position where there is one, bounded
/// time, and not a single request to AWS.
@Suite("reliability: hostile manifests never reach AWS")
struct ReliabilityHostileTests {
    static let corpus = PackagePaths.root.appendingPathComponent("Tests/Fixtures/bad-manifests")

    /// The first `# expect: LINE:COL ...` position of a corpus file, if it names one.
    static func expectedPosition(_ path: String) -> String? {
        let head = String(decoding: (FileManager.default.contents(atPath: path) ?? Data()).prefix(4096), as: UTF8.self)
        for line in head.split(separator: "\n") {
            let text = line.hasPrefix("\u{FEFF}") ? line.dropFirst() : Substring(line)
            guard text.hasPrefix("# expect: ") else { break }
            let position = text.dropFirst("# expect: ".count).prefix { $0 != " " }
            if position != "any" { return String(position) }
        }
        return nil
    }

    /// Runs plan and apply on `path`; checks exit 1, the time bound and `mustContain`.
    func refuse(_ workspace: Workspace, _ path: String, mustContain: String, seconds: Double = 30) throws {
        for arguments in [["plan", path], ["apply", "--auto-approve", path]] {
            let start = Date()
            let result = try workspace.reconcile(arguments: arguments)
            let elapsed = Date().timeIntervalSince(start)
            let context = "\(arguments.joined(separator: " "))"
            Reliability.expectCleanOutcome(result, context)
            #expect(result.exitCode == 1, "\(context)\n\(result.output)")
            #expect(
                result.stderr.contains(mustContain),
                "\(context): expected '\(mustContain)'\n\(result.stderr.prefix(2000))")
            #expect(elapsed < seconds, "\(context) took \(elapsed) s")
        }
    }

    @Test("every file of the bad-manifest corpus: exit 1 with file:line:col, zero AWS requests")
    func corpusThroughPlanAndApply() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter {
            $0.hasSuffix(".yaml")
        }.sorted()
        #expect(files.count >= 70)
        for file in files {
            let path = Self.corpus.appendingPathComponent(file).path
            let position = Self.expectedPosition(path)
            try refuse(workspace, path, mustContain: position.map { "\(file):\($0):" } ?? "\(file):")
        }
        let requests = try proxy.requests()
        #expect(requests.isEmpty, "AWS was called: \(requests.prefix(5))")
        Reliability.record(
            "hostile", ["corpusFiles": files.count, "commands": files.count * 2, "awsRequests": requests.count])
    }

    @Test("generated hostile inputs: alias bomb, deep nesting, 100 MB, binary, symlink loop, empty folder")
    func generatedHostileInputs() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        let folder = workspace.directory
        func write(_ name: String, _ data: Data) throws {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        var bomb = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            bomb +=
                "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
                + "]\n"
        }
        try write("bomb/bomb.yaml", Data(bomb.utf8))
        try write(
            "deep/deep.yaml",
            Data(("a: " + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000) + "\n").utf8))
        try write("blockdeep/blockdeep.yaml", Data((String(repeating: "- ", count: 20_000) + "x\n").utf8))
        // 100 MB, written in 1 MiB lines so the test itself stays cheap.
        let huge = folder.appendingPathComponent("huge/huge.yaml")
        try FileManager.default.createDirectory(at: huge.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: huge.path, contents: nil)
        let handle = try FileHandle(forWritingTo: huge)
        let line = Data(("# " + String(repeating: "x", count: 1_048_573) + "\n").utf8)
        for _ in 0..<100 { try handle.write(contentsOf: line) }
        try handle.close()
        var generator = SystemRandomNumberGenerator()
        try write("binary/binary.yaml", Data((0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }))
        let loop = folder.appendingPathComponent("loop")
        try FileManager.default.createDirectory(at: loop, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: loop.appendingPathComponent("a.yaml").path, withDestinationPath: "b.yaml")
        try FileManager.default.createSymbolicLink(
            atPath: loop.appendingPathComponent("b.yaml").path, withDestinationPath: "a.yaml")
        try FileManager.default.createSymbolicLink(
            atPath: loop.appendingPathComponent("sub").path, withDestinationPath: ".")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)

        let inputs: [(path: String, mustContain: String)] = [
            ("bomb", "bomb.yaml:"), ("deep", "deep.yaml:1:"), ("blockdeep", "blockdeep.yaml:"),
            ("huge", "huge.yaml:1:1"),
            ("binary", "binary.yaml:"), ("loop", "loop"), ("empty", "empty")
        ]
        for input in inputs {
            try refuse(workspace, input.path, mustContain: input.mustContain)
        }
        let requests = try proxy.requests()
        #expect(requests.isEmpty, "AWS was called: \(requests.prefix(5))")
        Reliability.record(
            "hostile", ["generatedInputs": inputs.count, "commands": inputs.count * 2, "awsRequests": requests.count])
    }
}
