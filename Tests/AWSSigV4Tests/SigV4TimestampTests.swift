import AWSSigV4
import Crypto
import Foundation
import Testing

/// The signer formats X-Amz-Date by integer arithmetic; these tests hold it to the
/// Gregorian calendar (leap days, century years, dates before 1970) and check that the
/// cached signing key gives the same signatures as a fresh derivation.
@Suite struct SigV4TimestampTests {
    static func calendarTimestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!,
            parts.minute!, parts.second!)
    }

    @Test(arguments: [
        "2015-08-30T12:36:00Z", "2000-02-29T23:59:59Z", "1900-03-01T00:00:00Z", "2100-02-28T12:00:00Z",
        "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2024-12-31T23:59:59Z", "2026-11-27T14:00:00Z"
    ])
    func knownDates(_ text: String) throws {
        let date = try #require(ISO8601DateFormatter().date(from: text))
        let digits = text.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        #expect(SigV4Signer.timestamp(date) == digits)
    }

    @Test func matchesTheCalendarOverFourCenturies() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            // 1800 to 2200, with fractions of a second (they are truncated, not rounded).
            let seconds = Double.random(in: -5_364_662_400...7_258_118_400, using: &generator)
            let date = Date(timeIntervalSince1970: seconds)
            #expect(SigV4Signer.timestamp(date) == Self.calendarTimestamp(date), "at \(seconds)")
        }
    }

    @Test func cachedKeysSignLikeFreshOnes() {
        let credentials = Credentials(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let request = SigV4Request(
            method: "POST", path: "/", headers: [("Host", "kinesis.eu-central-1.amazonaws.com")],
            body: Data("{}".utf8))
        for (region, day) in [
            ("eu-central-1", 0.0), ("us-east-1", 0.0), ("eu-central-1", 86_400.0), ("eu-central-1", 0.0)
        ] {
            let date = Date(timeIntervalSince1970: 1_700_000_000 + day)
            let signer = SigV4Signer(credentials: credentials, region: region, service: "kinesis")
            let signature = signer.sign(request, at: date)
            let key = SigV4Signer.signingKey(
                secret: credentials.secretAccessKey,
                day: String(SigV4Signer.timestamp(date).prefix(8)), region: region,
                service: "kinesis")
            let expected = HMAC<SHA256>.authenticationCode(for: Data(signature.stringToSign.utf8), using: key)
                .map { String(format: "%02x", $0) }.joined()
            #expect(signature.signature == expected, "\(region) day +\(day)")
        }
    }
}
