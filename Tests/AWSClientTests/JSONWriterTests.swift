import Formats
import Foundation
import TestSupport
import Testing

/// `JSONValue.serialized()` writes its own bytes instead of calling `JSONEncoder`; request
/// bodies, fingerprints and synthesized templates depend on those bytes staying exactly what
/// the encoder wrote, so random documents are compared with the encoder's output.
@Suite("JSON writing")
struct JSONWriterTests {
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
            let value = RandomJSONDocument.value(&generator)
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

/// `JSONValueEncoder` with `JSONWriter` stands in for `JSONEncoder` where fingerprints are
/// hashed, so their bytes are compared with the encoder's for `Encodable` shapes of every kind.
@Suite("Encodable values written without JSONEncoder")
struct JSONValueEncoderTests {
    enum Mode: String, Codable { case fast, slow }

    struct Inner: Codable {
        var name: String
        var note: String?
        var counts: [Int]
        var mode: Mode
    }

    struct Outer: Codable {
        var title: String
        var flag: Bool
        var ratio: Double
        var small: UInt8
        var inner: Inner
        var optionalInner: Inner?
        var tags: [String: String]
        var list: [Inner]
        var document: JSONValue?
        var nested: [[String: [Int]]]
    }

    static func encoderString(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func writerString(_ value: some Encodable) throws -> String {
        String(decoding: try JSONValueEncoder.encode(value).serializedBytes(escapingSlashes: true), as: UTF8.self)
    }

    static func randomInner(_ generator: inout SplitMix64) -> Inner {
        Inner(
            name: RandomJSONDocument.string(&generator),
            note: Bool.random(using: &generator) ? RandomJSONDocument.string(&generator) : nil,
            counts: (0..<Int.random(in: 0...3, using: &generator)).map { _ in Int.random(in: -9...99, using: &generator)
            },
            mode: Bool.random(using: &generator) ? .fast : .slow)
    }

    @Test("random values of nested Codable types give JSONEncoder's bytes, slashes escaped")
    func matchesJSONEncoder() throws {
        for seed in 0..<1_000 as Range<UInt64> {
            var generator = SplitMix64(state: seed)
            var tags: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                tags[RandomJSONDocument.string(&generator)] = RandomJSONDocument.string(&generator)
            }
            let value = Outer(
                title: RandomJSONDocument.string(&generator), flag: Bool.random(using: &generator),
                ratio: [0.5, 1e20, -0.0, 3].randomElement(using: &generator)!,
                small: UInt8.random(in: 0...255, using: &generator), inner: Self.randomInner(&generator),
                optionalInner: Bool.random(using: &generator) ? Self.randomInner(&generator) : nil, tags: tags,
                list: (0..<Int.random(in: 0...3, using: &generator)).map { _ in Self.randomInner(&generator) },
                document: Bool.random(using: &generator) ? RandomJSONDocument.value(&generator) : nil,
                nested: [["a/b": [1, 2]], [:]])
            let expected = try Self.encoderString(value)
            let written = try Self.writerString(value)
            #expect(written == expected, "seed \(seed)")
            if written != expected { return }
        }
    }

    @Test("a bare JSONValue is taken as it is, and escaping slashes is the only difference")
    func bareValue() throws {
        let value: JSONValue = ["Path": "a/b", "Items": [1, "x\n"]]
        #expect(try Self.writerString(value) == (try Self.encoderString(value)))
        #expect(try Self.writerString(value).contains(#"a\/b"#))
        #expect(value.serializedString().contains("a/b"))
    }

    @Test("an unsigned integer beyond Int's range is refused, not wrapped")
    func hugeUnsigned() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder.encode([UInt64.max]) }
    }
}
