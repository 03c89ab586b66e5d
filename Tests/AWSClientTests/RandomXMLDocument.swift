import TestSupport

/// Small random XML documents, serialised with escaping, character references, CDATA, comments,
/// attributes and self-closing tags in random mixtures.
struct RandomXMLDocument {
    private var random: SplitMix64
    private static let names = ["Stacks", "member", "StackName", "a:Value", "TemplateBody", "x-1", "_n.2", "Caf\u{E9}"]
    private static let pieces = [
        "a", "Z", "0", " ", "  ", "\n", "\t", "\r\n", "\r", "<", ">", "&", "\"", "'", "\u{E9}", "\u{2713}",
        "\u{1F600}", "{", ":", "/", "=", "-", "]"
    ]

    init(seed: UInt64) { random = SplitMix64(state: seed) }

    private mutating func chance(_ oneIn: Int) -> Bool { Int.random(in: 0..<oneIn, using: &random) == 0 }
    private mutating func pick(_ options: [String]) -> String { options.randomElement(using: &random) ?? "" }
    private mutating func space() -> String { pick(["", "", " ", "\n  ", "\t"]) }

    mutating func document() -> String {
        var document = chance(2) ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + pick(["", "\n"]) : ""
        if chance(3) { document += "<!-- before -->\n" }
        document += element(depth: 0)
        if chance(3) { document += pick(["\n", " "]) + "<!-- after -->" }
        return document + pick(["", "\n", "\n\n"])
    }

    private mutating func element(depth: Int) -> String {
        let name = Self.names[Int.random(in: 0..<Self.names.count, using: &random)]
        var tag = "<" + name + (depth == 0 ? " xmlns=\"urn:r\" xmlns:a=\"urn:a\"" : "")
        for index in 0..<Int.random(in: 0...2, using: &random) {
            let quote = pick(["\"", "'"])
            tag += " " + pick(["k", "a:k"]) + "\(index)" + space() + "=" + space() + quote
            tag += attributeValue(quote: quote) + quote
        }
        let childCount = depth < 3 ? Int.random(in: 0...3, using: &random) : 0
        if childCount == 0 && chance(4) { return tag + space() + "/>" }
        var body = childCount == 0 ? text() : ""
        for _ in 0..<childCount {
            body += (chance(2) ? text() : space()) + element(depth: depth + 1)
            if chance(5) { body += "<!-- c" + pick(["", " - x", ">"]) + " -->" }
        }
        if childCount > 0 && chance(2) { body += text() }
        return tag + ">" + body + "</" + name + space() + ">"
    }

    private mutating func attributeValue(quote: String) -> String {
        var value = ""
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            switch pick(["a", ">", "&", "<", "\"", "'", " ", "\u{E9}"]) {
            case "&": value += "&amp;"
            case "<": value += "&lt;"
            case quote: value += quote == "\"" ? "&quot;" : "&apos;"
            case let other: value += other
            }
        }
        return value
    }

    private mutating func text() -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            if chance(8) {
                text += "<![CDATA[" + pick(["", "<x>", "a & b", " ]", "\r\n"]) + "]]>"
                continue
            }
            for scalar in pick(Self.pieces).unicodeScalars { text += escaped(scalar) }
        }
        return text
    }

    private mutating func escaped(_ scalar: Unicode.Scalar) -> String {
        if chance(8) {
            return chance(2)
                ? "&#\(scalar.value);" : "&#x" + String(scalar.value, radix: 16, uppercase: chance(2)) + ";"
        }
        switch scalar {
        case "<": return "&lt;"
        case "&": return pick(["&amp;", "&#38;"])
        case ">": return pick([">", "&gt;"])
        case "]": return "&#93;"  // never raw, so no ']]>' forms in text
        case "\"": return pick(["\"", "&quot;"])
        case "'": return pick(["'", "&apos;"])
        default: return String(scalar)
        }
    }
}
