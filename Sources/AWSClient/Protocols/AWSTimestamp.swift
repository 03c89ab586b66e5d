import Foundation

/// Parses the ISO 8601 timestamps AWS Query answers carry (`2024-05-01T10:00:00Z`,
/// `2024-05-01T10:00:00.123Z`, `2024-05-01T10:00:00.123456+00:00`), any number of fraction digits.
enum AWSTimestamp {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var fraction = 0.0
        var withoutFraction = trimmed
        if let dot = trimmed.firstIndex(of: ".") {
            let digits = trimmed[trimmed.index(after: dot)...].prefix { $0.isNumber }
            fraction = Double("0." + digits) ?? 0
            withoutFraction = String(trimmed[..<dot]) + trimmed[trimmed.index(dot, offsetBy: digits.count + 1)...]
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: withoutFraction) { return date.addingTimeInterval(fraction) }
        // Some answers omit the zone; AWS means UTC.
        if let date = formatter.date(from: withoutFraction + "Z") { return date.addingTimeInterval(fraction) }
        return nil
    }
}
