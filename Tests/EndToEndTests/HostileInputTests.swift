import Foundation
import TestSupport
import Testing

/// Inputs built to hurt a parser: each must end quickly with a clear error (exit 1),
/// never a crash (a signal would show as another exit code).
@Suite("hostile manifest inputs")
struct HostileInputTests {
    /// Runs `validate` on `path` and checks the time bound.
    private func validate(_ path: String, in directory: String) throws -> ProcessResult {
        let start = Date()
        let result = try reconcile(["validate", path, "--no-color"], in: directory)
        #expect(Date().timeIntervalSince(start) < 30, "took too long")
        return result
    }

    @Test("an alias bomb (billion laughs) stops at the node limit")
    func aliasBomb() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        var text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
            text += "l\(level): &l\(level) [\(refs)]\n"
        }
        try scratch.write("bomb.yaml", text)
        let result = try validate("bomb.yaml", in: scratch.path)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("bomb.yaml:"))
        #expect(result.stderr.contains("more than 1000000 YAML nodes"))
    }

    @Test("a file over 10 MiB is refused without being parsed")
    func hugeFile() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let line = "# " + String(repeating: "x", count: 1021) + "\n"
        try scratch.write("huge.yaml", String(repeating: line, count: 11 * 1024))
        let result = try validate("huge.yaml", in: scratch.path)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("huge.yaml:1:1: error: file is larger than 10 MiB"))
    }

    @Test("20,000 nested flow lists are refused before parsing")
    func deepFlowNesting() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        try scratch.write(
            "deep.yaml", "a: " + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000) + "\n")
        let result = try validate("deep.yaml", in: scratch.path)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("deep.yaml:1:103: error: nesting is deeper than 100 levels"))
    }

    @Test("20,000 nested block lists and deep block mappings are refused before parsing")
    func deepBlockNesting() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        try scratch.write("dashes.yaml", String(repeating: "- ", count: 20_000) + "x\n")
        var mapping = ""
        for level in 0..<20_000 { mapping += String(repeating: " ", count: level % 150) + "k\(level):\n" }
        try scratch.write("mapping.yaml", mapping)
        for file in ["dashes.yaml", "mapping.yaml"] {
            let result = try validate(file, in: scratch.path)
            #expect(result.exitCode == 1, "\(file): \(result.output)")
            #expect(result.stderr.contains("\(file):"))
            #expect(result.stderr.contains("nesting is deeper than 100 levels"), "\(result.stderr)")
        }
    }

    @Test("binary content is refused as not YAML")
    func binaryFile() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        var bytes = [UInt8](repeating: 0, count: 4096)
        for index in bytes.indices { bytes[index] = UInt8((index * 7919) % 256) }
        try scratch.write("m/blob.yaml", Data(bytes))
        try scratch.write("m/latin1.yml", Data([0x6B, 0x3A, 0x20, 0xE9, 0x0A]))
        let result = try validate("m", in: scratch.path)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("m/blob.yaml:1:1: error: file holds binary content"))
        #expect(result.stderr.contains("m/latin1.yml:1:4: error: file is not valid UTF-8"))
    }

    @Test("a symbolic link loop is reported, not followed forever")
    func symlinkLoop() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        try scratch.write("m/s.yaml", validStreamManifest)
        try FileManager.default.createSymbolicLink(
            atPath: scratch.url.appendingPathComponent("m/loop").path, withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(
            atPath: scratch.url.appendingPathComponent("m/self.yaml").path, withDestinationPath: "self.yaml")
        let result = try validate("m", in: scratch.path)
        #expect(result.exitCode == 1)
        #expect(
            result.stderr.contains("m/loop/m: error: symbolic link loop")
                || result.stderr.contains("symbolic link loop"), "\(result.stderr)")
        #expect(result.stderr.contains("m/self.yaml:1:1: error: cannot read manifest"), "\(result.stderr)")
    }

    @Test("an unreadable file is an error naming it (root can still read it)")
    func unreadableFile() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        let path = try scratch.write("m/secret.yaml", validStreamManifest)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
        let result = try validate("m", in: scratch.path)
        if getuid() == 0 {
            #expect(result.exitCode == 0, "\(result.output)")
        } else {
            #expect(result.exitCode == 1)
            #expect(result.stderr.contains("m/secret.yaml:1:1: error: cannot read manifest: permission denied"))
        }
    }

    @Test("an empty folder is an error: a typo must not plan nothing")
    func emptyFolder() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        try FileManager.default.createDirectory(
            at: scratch.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let result = try validate("empty", in: scratch.path)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("empty:1:1: error: no manifest files"))
        let missing = try validate("missing", in: scratch.path)
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("missing:1:1: error: cannot read manifest path"))
    }
}
