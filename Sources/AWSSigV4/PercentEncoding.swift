/// RFC 3986 percent-encoding as SigV4 and AWS's query protocol use it: unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) stay bare, every other byte becomes `%XX` in upper case.
public enum PercentEncoding {
    /// - Parameters:
    ///   - keepSlash: leave `/` bare (a canonical URI path).
    ///   - spaceAsPlus: write a space as `+`, as form encoding (Python's `urlencode`) does.
    public static func encode(_ text: String, keepSlash: Bool = false, spaceAsPlus: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            case UInt8(ascii: " ") where spaceAsPlus:
                out.append("+")
            default:
                out.append("%")
                out.unicodeScalars.append(hexDigit(byte >> 4))
                out.unicodeScalars.append(hexDigit(byte & 0x0f))
            }
        }
        return out
    }

    private static func hexDigit(_ value: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10)
    }
}
