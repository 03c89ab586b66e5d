import Formats
import Foundation
import Testing

/// `JSONValue.serialized()` writes its own bytes instead of calling `JSONEncoder`; request
/// bodies, fingerprints and synthesized templates depend on those bytes staying exactly what
/// the encoder wrote, so random documents are compared with the encoder's output.
@Suite("JSON writing")
struct JSONWriterTests {
    static let alphabet: [String] = [
        "a", "B", "z", "Z", "0", "9", "_", "-", "/", "\"", "\\", "\n", "\t", "\r", "\u{8}", "\u{c}", "\u{1}",
        "\u{1f}", "\u{7f}", " ", "é", "e\u{301}", "ß", "😀", "\u{2028}", "漢", "Tag", "10", "2"
    ]

    static func randomString(_ generator: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
    }

    static func randomValue(_ generator: inout SplitMix64, depth: Int) -> JSONValue {
        switch Int.random(in: 0...(depth > 3 ? 4 : 6), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2:
            return .int(
                Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0...62, using: &generator))
        case 3: return .double([0.1, 1.5, -0.0, 1e20, 1e-7, 100, 3.0e-300].randomElement(using: &generator)!)
        case 4: return .string(randomString(&generator))
        case 5:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(&generator, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &generator) {
                members[randomString(&generator)] = randomValue(&generator, depth: depth + 1)
            }
            return .object(members)
        }
    }

    static func encoderBytes(_ value: JSONValue, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty
            ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("random documents serialize exactly as JSONEncoder writes them", arguments: [false, true])
    func matchesJSONEncoder(pretty: Bool) throws {
        for seed in 0..<2_000 as Range<UInt64> {
            var generator = SplitMix64(state: seed)
            let value = Self.randomValue(&generator, depth: 0)
            let expected = try Self.encoderBytes(value, pretty: pretty)
            let written = value.serializedString(pretty: pretty)
            #expect(written == expected, "seed \(seed)")
            if written != expected { return }
        }
    }

    @Test("a template-shaped document keeps the encoder's layout")
    func templateLayout() throws {
        let template: JSONValue = [
            "Resources": [
                "Stream10": ["Type": "AWS::Kinesis::Stream", "Properties": ["ShardCount": 2, "Tags": []]],
                "Stream2": ["Type": "AWS::Kinesis::Stream", "Properties": [:]]
            ],
            "Description": "a/b \"quoted\""
        ]
        #expect(template.serializedString(pretty: true) == (try Self.encoderBytes(template, pretty: true)))
        #expect(
            template.serializedString()
                == #"{"Description":"a/b \"quoted\"","Resources":{"Stream10":{"Properties":{"ShardCount":2,"Tags":[]},"Type":"AWS::Kinesis::Stream"},"Stream2":{"Properties":{},"Type":"AWS::Kinesis::Stream"}}}"#
        )
    }
}
