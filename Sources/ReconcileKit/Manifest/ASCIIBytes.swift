/// Byte classes for the manifest's ASCII-only vocabularies (names, logical ids, regions, numbers).
///
/// Testing UTF-8 bytes answers as `Character.isASCII && isLetter…` does for these patterns,
/// since a non-ASCII character's bytes are all above 0x7F, and skips the Unicode property
/// lookups that testing `Character`s makes: a fifth of reading a 1,000-stream manifest.
extension UInt8 {
    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var isASCIILowercase: Bool { self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z") }
    var isASCIIUppercase: Bool { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") }
    var isASCIILetter: Bool { isASCIILowercase || isASCIIUppercase }
    var isASCIIAlphanumeric: Bool { isASCIILetter || isASCIIDigit }
}
