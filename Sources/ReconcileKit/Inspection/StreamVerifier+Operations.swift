import AWSClient

extension StreamVerifier {
    /// The calls `verify(stream:region:)` makes, in order.
    public static let operations: [AWSOperation] = [
        .describeStreamSummary, .putRecord, .getShardIterator, .getRecords
    ]
}
