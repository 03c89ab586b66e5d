import Foundation
import Testing

@testable import AWSClient

@Suite("AWS timestamps")
struct AWSTimestampTests {
    @Test("the forms AWS answers carry parse to the instant they name")
    func parsesAWSForms() throws {
        let cases: [(String, Double)] = [
            ("2024-05-01T10:00:00Z", 1_714_557_600),
            ("2024-05-01T10:00:00.123Z", 1_714_557_600.123),
            ("2024-05-01T10:00:00.123456+00:00", 1_714_557_600.123456),
            ("2024-05-01T12:30:00+02:30", 1_714_557_600),
            ("2024-05-01T07:00:00-0300", 1_714_557_600),
            ("2024-05-01T10:00:00", 1_714_557_600),
            (" 2024-05-01T10:00:00Z ", 1_714_557_600),
            ("1970-01-01T00:00:00Z", 0),
            ("1969-12-31T23:59:59Z", -1),
            ("2000-02-29T00:00:00Z", 951_782_400),
            ("2100-03-01T00:00:00Z", 4_107_542_400)
        ]
        for (text, seconds) in cases {
            let date = try #require(AWSTimestamp.parse(text), "\(text)")
            #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6, "\(text)")
        }
    }

    @Test("whole-second instants agree with Foundation's ISO 8601 formatter across four centuries")
    func agreesWithFoundation() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var seconds = -2_208_988_800.0  // 1900-01-01
        while seconds < 10_413_792_000 {  // 2300-01-01
            let date = Date(timeIntervalSince1970: seconds)
            let text = formatter.string(from: date)
            #expect(AWSTimestamp.parse(text) == date, "\(text)")
            seconds += 86_400 * 37 + 3_671  // a step that visits every month, leap days and times of day
        }
    }

    @Test("text that is not an ISO 8601 instant is refused")
    func refusesOtherText() {
        let bad = [
            "", "yesterday", "2024-05-01", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-05-01T24:00:00Z",
            "2024-05-01T10:60:00Z", "2024-05-01 10:00:00Z", "2024-05-01T10:00:00Q", "2024-05-01T10:00:00+5",
            "2024-05-01T10:00:00Z trailing", "1714557600"
        ]
        for text in bad {
            #expect(AWSTimestamp.parse(text) == nil, "\(text)")
        }
    }
}
