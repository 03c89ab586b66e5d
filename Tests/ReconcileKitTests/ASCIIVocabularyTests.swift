import TestSupport
import Testing

@testable import ReconcileKit

/// The manifest's names, ids and numbers are checked by bytes; these are the `Character` tests
/// they replaced, compared on random text that mixes ASCII with letters and digits of other
/// scripts, combining marks and CR LF.
@Suite("Byte checks answer as the Character checks did")
struct ASCIIVocabularyTests {
    static let pieces = [
        "a", "Z", "q", "0", "7", "-", "_", ".", "/", " ", "é", "e\u{301}", "1\u{301}", "٣", "Ⅻ", "ß", "\r\n", "+", "E",
        "x", "😀"
    ]

    static func text(_ generator: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    static func streamNameByCharacters(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
    }

    static func stackNameByCharacters(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter, name.utf8.count <= 128 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    static func integerByCharacters(_ text: String) -> Bool {
        var text = Substring(text)
        if text.hasPrefix("+") { text = text.dropFirst() }
        return !text.isEmpty && text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") })
            && text.dropFirst().allSatisfy({ $0 != "-" })
    }

    static func floatShapedByCharacters(_ text: String) -> Bool {
        text.contains(where: { $0.isASCII && $0.isNumber })
            && text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) })
    }

    @Test("names, logical ids and numbers, on random text")
    func randomText() {
        for seed in 0..<5_000 as Range<UInt64> {
            var generator = SplitMix64(state: seed)
            let text = Self.text(&generator)
            #expect(
                ManifestVocabulary.isStreamName(text) == Self.streamNameByCharacters(text), "\(text.debugDescription)")
            #expect(
                ManifestVocabulary.isStackName(text) == Self.stackNameByCharacters(text), "\(text.debugDescription)")
            let scalar = YAMLScalar(text: text, isPlain: true)
            #expect(
                (scalar.integerValue != nil)
                    == (Self.integerByCharacters(text) && Int(text.dropFirst(text.hasPrefix("+") ? 1 : 0)) != nil),
                "\(text.debugDescription)")
            #expect(
                (scalar.floatValue != nil) == (Self.floatShapedByCharacters(text) && Double(text) != nil),
                "\(text.debugDescription)")
            if text.utf8.allSatisfy({ $0 < 0x80 }) {
                #expect(
                    LogicalID.deriveFromASCII(text) == LogicalID.deriveByCharacters(text), "\(text.debugDescription)")
            }
        }
    }

    @Test("a logical id past 255 characters is cut the same way by both")
    func longNames() {
        let long = String(repeating: "ab-", count: 200)
        #expect(LogicalID.derive(from: long) == LogicalID.deriveByCharacters(long))
        #expect(LogicalID.derive(from: "9" + long) == LogicalID.deriveByCharacters("9" + long))
        #expect(LogicalID.derive(from: "9" + long).utf8.count == 255)
    }
}
