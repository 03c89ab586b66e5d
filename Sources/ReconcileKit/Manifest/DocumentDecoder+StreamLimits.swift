/// `spec.maxRecordSizeKiB` and `spec.warmThroughputMiBps` of a Stream document.
extension DocumentDecoder {
    struct StreamLimits {
        var maxRecordSizeKiB: Int?
        var warmThroughputMiBps: Int?
    }

    /// Each value in AWS's range; warm throughput only on an ON_DEMAND stream (`mode` nil: the
    /// declared mode was invalid and already reported, so no second error piles on).
    static func readStreamLimits(
        _ spec: FieldReader, mode: StreamMode?, diagnostics: inout DiagnosticCollector
    ) -> StreamLimits {
        let maxRecordSize = spec.integer(
            "maxRecordSizeKiB", in: Vocabulary.maxRecordSizeRange, diagnostics: &diagnostics)
        let warm = spec.integer("warmThroughputMiBps", in: Vocabulary.warmThroughputRange, diagnostics: &diagnostics)
        if let warm, mode == .provisioned {
            diagnostics.error(
                at: warm.location,
                "spec.warmThroughputMiBps is only allowed with streamMode ON_DEMAND "
                    + "(AWS keeps warm throughput for on-demand streams only)")
            return StreamLimits(maxRecordSizeKiB: maxRecordSize?.value, warmThroughputMiBps: nil)
        }
        return StreamLimits(maxRecordSizeKiB: maxRecordSize?.value, warmThroughputMiBps: warm?.value)
    }
}
