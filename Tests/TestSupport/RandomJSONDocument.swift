import Formats

/// Random JSON documents for differential tests against `JSONEncoder`: strings drawn from
/// characters that need escaping, sort differently by bytes and by `<`, or span several bytes.
public enum RandomJSONDocument {
    public static let alphabet: [String] = [
        "a", "B", "z", "Z", "0", "9", "_", "-", "/", "\"", "\\", "\n", "\t", "\r", "\u{8}", "\u{c}", "\u{1}",
        "\u{1f}", "\u{7f}", " ", "é", "e\u{301}", "ß", "😀", "\u{2028}", "漢", "Tag", "10", "2"
    ]

    public static func string(_ generator: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
    }

    public static func value(_ generator: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0...(depth > 3 ? 4 : 6), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2:
            return .int(
                Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0...62, using: &generator))
        case 3: return .double([0.1, 1.5, -0.0, 1e20, 1e-7, 100, 3.0e-300].randomElement(using: &generator)!)
        case 4: return .string(string(&generator))
        case 5:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in value(&generator, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &generator) {
                members[string(&generator)] = value(&generator, depth: depth + 1)
            }
            return .object(members)
        }
    }
}
