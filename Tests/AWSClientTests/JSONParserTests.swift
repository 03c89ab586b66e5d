import AWSClient
import Foundation
import TestSupport
import Testing

@testable import Formats

@Suite("JSON parsing")
struct JSONParserTests {
    @Test("values, nesting, numbers and escapes parse as JSONValue")
    func parsesDocuments() throws {
        let text = #"""
            {"StreamDescriptionSummary": {"StreamName": "s", "OpenShardCount": 2, "RetentionPeriodHours": 24,
             "StreamCreationTimestamp": 1.7000000005E9, "EncryptionType": "NONE", "KeyId": null,
             "EnhancedMonitoring": [{"ShardLevelMetrics": []}], "HasMore": false, "Negative": -0.5, "Big": 100000000000000000000,
             "Escapes": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00 é"}}
            """#
        let value = try JSONValue.parse(Data(text.utf8))
        let summary = try #require(value["StreamDescriptionSummary"])
        #expect(summary["StreamName"] == "s")
        #expect(summary["OpenShardCount"] == .int(2))
        #expect(summary["StreamCreationTimestamp"] == .double(1_700_000_000.5))
        #expect(summary["KeyId"] == .null)
        #expect(summary["EnhancedMonitoring"] == [["ShardLevelMetrics": []]])
        #expect(summary["HasMore"] == false)
        #expect(summary["Negative"] == .double(-0.5))
        #expect(summary["Big"] == .double(1e20))
        #expect(summary["Escapes"] == .string("a\"b\\c/d\n\té😀 é"))
        #expect(try JSONValue.parse(Data(" [1, \"x\", true, {}] ".utf8)) == [1, "x", true, [:]])
    }

    @Test("what serialized() writes parses back to the same value")
    func roundTrips() throws {
        let value: JSONValue = [
            "a": [1, 2.5, "three", nil, ["deep": ["deeper": true]]], "unicode": "日本 \u{1F600}", "empty": ""
        ]
        #expect(try JSONValue.parse(value.serialized()) == value)
        #expect(try JSONValue.parse(value.serialized(pretty: true)) == value)
    }

    @Test("random documents parse back from their serialization, objects of every size")
    func randomRoundTrips() throws {
        for seed in 0..<2_000 as Range<UInt64> {
            var generator = SplitMix64(state: seed)
            let value = RandomJSONDocument.value(&generator)
            let parsed = try JSONValue.parse(value.serialized())
            #expect(Self.same(parsed, value), "seed \(seed)")
            if !Self.same(parsed, value) { return }
        }
        let wide = JSONValue.object(Dictionary(uniqueKeysWithValues: (0..<300).map { ("k\($0)", JSONValue.int($0)) }))
        #expect(try JSONValue.parse(wide.serialized()) == wide)
    }

    /// Equal as JSON: a whole double such as 100.0 or -0.0 is written "100" or "-0" and read back as an integer.
    static func same(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.int(let integer), .double(let double)), (.double(let double), .int(let integer)):
            return Double(integer) == double
        case (.array(let lefts), .array(let rights)):
            return lefts.count == rights.count && zip(lefts, rights).allSatisfy { same($0, $1) }
        case (.object(let lefts), .object(let rights)):
            return lefts.count == rights.count
                && lefts.allSatisfy { key, value in rights[key].map { same(value, $0) } ?? false }
        default:
            return left == right
        }
    }

    @Test("a member name given twice keeps its last value, as JSONSerialization does")
    func repeatedNames() throws {
        let parsed = try JSONValue.parse(Data(#"{"a": 1, "b": 2, "a": 3}"#.utf8))
        #expect(parsed == ["a": 3, "b": 2])
        let foundation = try JSONSerialization.jsonObject(with: Data(#"{"a": 1, "b": 2, "a": 3}"#.utf8))
        #expect((foundation as? [String: Int])?["a"] == 3)
    }

    @Test(
        "anything that is not JSON is refused",
        arguments: [
            "", "{", "[1,]", "{\"a\" 1}", "tru", "01", "1.", "-", "\"unterminated", "\"\\x\"", "\"\\ud800\"", "[1] x",
            "{\"a\":1,}", "\"\u{01}\"", String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        ])
    func refusesInvalid(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Data(text.utf8)) }
    }
}
