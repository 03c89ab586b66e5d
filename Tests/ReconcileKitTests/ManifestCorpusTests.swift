import Foundation
import TestSupport
import Testing

@testable import ReconcileKit

/// Walks `Tests/Fixtures/bad-manifests`: each file starts with one or more
/// `# expect: <line>:<col> <message fragment>` lines (or `# expect: any <fragment>`),
/// and loading it alone must produce exactly those diagnostics.
@Suite("Bad manifest corpus")
struct ManifestCorpusTests {
    static let folder = PackagePaths.root.appendingPathComponent("Tests/Fixtures/bad-manifests")

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }
            .sorted()
    }

    struct Expectation: CustomStringConvertible {
        var position: String?
        var fragment: String
        var description: String { "\(position ?? "any") \(fragment)" }
    }

    static func expectations(in data: Data) -> [Expectation] {
        var text = String(decoding: data.prefix(4096), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var result: [Expectation] = []
        for line in text.split(separator: "\n") {
            guard line.hasPrefix("# expect: ") else { break }
            let rest = line.dropFirst("# expect: ".count)
            guard let space = rest.firstIndex(of: " ") else { continue }
            let position = String(rest[..<space])
            result.append(
                Expectation(
                    position: position == "any" ? nil : position, fragment: String(rest[rest.index(after: space)...])))
        }
        return result
    }

    @Test("the corpus covers every rule with at least 40 files")
    func corpusSize() {
        #expect(Self.files.count >= 40)
    }

    @Test("each bad manifest yields exactly the expected diagnostics", arguments: files)
    func badManifest(_ name: String) throws {
        let path = Self.folder.appendingPathComponent(name).path
        let expected = Self.expectations(in: try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(!expected.isEmpty, "\(name) has no '# expect:' line")
        var found: [Diagnostic] = []
        do {
            _ = try ManifestLoader.load(paths: [path], currentDirectory: "/")
        } catch {
            found = error.diagnostics
        }
        let rendered = found.map { $0.rendered(snippet: false) }
        #expect(found.count == expected.count, "\(name): \(rendered)")
        for expectation in expected {
            let match = found.contains { diagnostic in
                let position = "\(diagnostic.location.line):\(diagnostic.location.column)"
                return (expectation.position == nil || expectation.position == position)
                    && diagnostic.message.contains(expectation.fragment)
            }
            #expect(match, "\(name): expected \(expectation), got \(rendered)")
        }
    }
}
