import Testing

@testable import ReconcileKit

@Suite("Pre-parse screening of manifest bytes")
struct YAMLSourceScreenTests {
    let screen = YAMLSourceScreen(maximumDepth: 100)

    func finding(_ text: String) -> YAMLSourceScreen.Finding? { screen.check(Array(text.utf8)) }

    @Test("ordinary manifests with quotes, comments and block scalars pass")
    func ordinaryPasses() {
        let text = """
            # a comment with [ brackets
            apiVersion: reconcile/v1
            kind: Stack
            metadata: {name: "a[b", region: 'it''s'}
            spec:
              description: |
                text with [[[ and {{{ that is not nesting
                  and deeper indentation
              tags: {a: "}", b: '['}
            """
        #expect(finding(text) == nil)
    }

    @Test("block scalar content may be indented without counting as nesting")
    func blockScalarNotCounted() {
        var text = "a: |\n"
        for level in 1...150 { text += String(repeating: " ", count: level) + "x\n" }
        #expect(finding(text) == nil)
    }

    @Test("deep indentation outside a block scalar is refused at the line that goes too deep")
    func deepIndentation() {
        var text = ""
        for level in 0..<150 { text += String(repeating: " ", count: level) + "k\(level):\n" }
        #expect(finding(text)?.line == 101)
    }

    @Test("NUL bytes and invalid UTF-8 are located")
    func encoding() {
        #expect(
            screen.check([0x61, 0x0A, 0x62, 0x00])
                == .init(line: 2, column: 2, message: "file holds binary content (a NUL byte), not YAML text"))
        #expect(screen.check([0x61, 0x3A, 0x20, 0xC3]).map { "\($0.line):\($0.column)" } == "1:4")
        #expect(screen.check(Array("é: ✓ 🚀\n".utf8)) == nil)
    }

    @Test("alias keys and complex keys are refused; alias values are fine")
    func keys() {
        #expect(finding("a: &x 1\nb: *x\n") == nil)
        #expect(finding("a: &x 1\n*x : 2\n")?.message.contains("alias used as a mapping key") == true)
        #expect(finding("? [a]\n: 1\n")?.message.contains("complex mapping keys") == true)
        #expect(finding("{[a]: 1}\n")?.message.contains("used as a mapping key") == true)
    }
}
