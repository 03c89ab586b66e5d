/// Tag maps as the Kinesis APIs take them.
enum TagParameters {
    /// Tag maps of at most `size` entries (Kinesis takes at most 10 tags per call).
    static func chunks(_ tags: [String: String], size: Int = 10) -> [[String: String]] {
        let sorted = tags.sorted { $0.key < $1.key }
        return stride(from: 0, to: sorted.count, by: size).map {
            Dictionary(uniqueKeysWithValues: sorted[$0..<min($0 + size, sorted.count)].map { ($0.key, $0.value) })
        }
    }
}
