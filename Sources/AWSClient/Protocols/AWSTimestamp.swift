import Foundation

/// Parses the ISO 8601 timestamps AWS answers carry (`2024-05-01T10:00:00Z`,
/// `2024-05-01T10:00:00.123Z`, `2024-05-01T10:00:00.123456+00:00`), any number of fraction
/// digits; a missing zone means UTC, as AWS means it.
///
/// Read by integer arithmetic on the digits: Foundation's `ISO8601DateFormatter` builds an ICU
/// calendar on first use, which cost a seed plan about 5 MiB of resident memory (ICU's data
/// pages) and a formatter per answer.
enum AWSTimestamp {
    static func parse(_ text: String) -> Date? {
        var reader = TimestampReader(Array(text.utf8))
        return reader.date()
    }
}

/// A cursor over the bytes of one timestamp; each read returns nil when the text does not match.
private struct TimestampReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        skipSpaces()
    }

    mutating func date() -> Date? {
        guard let year = number(digits: 4), expect("-"), let month = number(digits: 2), expect("-"),
            let day = number(digits: 2), expect("T") || expect("t"),
            let hour = number(digits: 2), expect(":"), let minute = number(digits: 2), expect(":"),
            let second = number(digits: 2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let fraction = fractionOfSecond()
        guard let offset = zoneOffsetSeconds() else { return nil }
        skipSpaces()
        guard position == bytes.count else { return nil }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `.123`: any number of digits (none after the dot counts as zero, as before).
    private mutating func fractionOfSecond() -> Double {
        guard expect(".") else { return 0 }
        var value = 0.0
        var scale = 0.1
        while position < bytes.count, let digit = Self.digit(bytes[position]) {
            value += Double(digit) * scale
            scale /= 10
            position += 1
        }
        return value
    }

    /// Seconds east of UTC: `Z`, `+HH:MM`, `+HHMM`, `-HH:MM`, or nothing (UTC).
    private mutating func zoneOffsetSeconds() -> Int? {
        if position == bytes.count || bytes[position] == UInt8(ascii: " ") { return 0 }
        if expect("Z") || expect("z") { return 0 }
        let sign: Int
        if expect("+") {
            sign = 1
        } else if expect("-") {
            sign = -1
        } else {
            return nil
        }
        guard let hours = number(digits: 2) else { return nil }
        _ = expect(":")
        guard let minutes = number(digits: 2), hours < 24, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    private mutating func number(digits count: Int) -> Int? {
        guard position + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            guard let digit = Self.digit(bytes[position + offset]) else { return nil }
            value = value * 10 + digit
        }
        position += count
        return value
    }

    private mutating func expect(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    private mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") {
            position += 1
        }
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private func daysIn(month: Int, year: Int) -> Int {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
