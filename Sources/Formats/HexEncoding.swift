extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte: how SigV4 writes hashes and signatures,
    /// and how plans write fingerprints. (`String(format:)` per byte cost a CPU-visible share
    /// of a 1,000-stream plan.)
    @inlinable
    public var lowercaseHex: String {
        // Inlinable, so callers in other modules get it specialised for their digest type instead of
        // stepping a generic iterator byte by byte (a visible share of a 1,000-stream plan).
        let bytes = Array(self)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[2 * index] = hexDigit(byte >> 4)
                buffer[2 * index + 1] = hexDigit(byte & 0x0f)
            }
            return bytes.count * 2
        }
    }
}

/// The lower-case hexadecimal digit of a nibble (0...15).
@inlinable
func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
}
