import AWSClient
import Foundation
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
