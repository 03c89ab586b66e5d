extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte: how SigV4 writes hashes and signatures,
    /// and how plans write fingerprints. (`String(format:)` per byte cost a CPU-visible share
    /// of a 1,000-stream plan.)
    public var lowercaseHex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
