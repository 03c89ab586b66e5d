/// List prices for the capacity reconcile can compute from a manifest (not usage:
/// PUT payload units, data in/out, long-term retention per GB and fan-out data are
/// billed by volume and are never estimated).
///
/// Source: the public Amazon Kinesis Data Streams pricing page,
/// https://aws.amazon.com/kinesis/data-streams/pricing/, as known to reconcile's authors
/// in 2024 (not re-read when this table was written: no network). Only regions whose
/// figures we are sure of are listed; every other region gets capacity without a price,
/// never a guessed one. Update `asOf` with the table.
public struct KinesisPrices: Sendable, Hashable, Codable {
    /// USD per provisioned shard-hour.
    public var shardHour: Double
    /// USD per provisioned shard-hour while retention is above 24 hours (up to 7 days;
    /// beyond 7 days AWS adds a per-GB-month charge that depends on data volume).
    public var extendedRetentionShardHour: Double
    /// USD per on-demand stream-hour.
    public var onDemandStreamHour: Double
    /// USD per GB-month stored beyond 7 days; nil where the table's source did not give it. Billed by
    /// volume, so the capacity line never uses it.
    public var longTermRetentionGBMonth: Double?

    public init(
        shardHour: Double, extendedRetentionShardHour: Double, onDemandStreamHour: Double,
        longTermRetentionGBMonth: Double? = nil
    ) {
        self.shardHour = shardHour
        self.extendedRetentionShardHour = extendedRetentionShardHour
        self.onDemandStreamHour = onDemandStreamHour
        self.longTermRetentionGBMonth = longTermRetentionGBMonth
    }

    /// A region's row of the price list (`KinesisPriceList.swift`); nil unless it has every field.
    init?(priceListRow row: [String: Double]) {
        guard let shard = row["shardHour"], let extended = row["extendedRetentionShardHour"],
            let onDemand = row["onDemandStreamHour"], let longTerm = row["longTermRetentionGBMonth"]
        else { return nil }
        self.init(
            shardHour: shard, extendedRetentionShardHour: extended, onDemandStreamHour: onDemand,
            longTermRetentionGBMonth: longTerm)
    }
}

public enum KinesisPricing {
    public static let source = "https://aws.amazon.com/kinesis/data-streams/pricing/"
    public static let asOf = "2024"
    /// Hours in AWS's billing month.
    public static let hoursPerMonth = 730

    /// us-east-1 (N. Virginia) only: eu-central-1 and other regions are priced higher by
    /// amounts we cannot state with confidence, so they get capacity figures only.
    public static let table: [String: KinesisPrices] = [
        "us-east-1": KinesisPrices(shardHour: 0.015, extendedRetentionShardHour: 0.020, onDemandStreamHour: 0.040)
    ]

    /// The price list's figures where it has the region (`make prices` refreshes them), else the
    /// hand-kept `table`'s; nil where neither has it.
    public static func prices(for region: String) -> KinesisPrices? {
        priceList[region].flatMap { KinesisPrices(priceListRow: $0) } ?? table[region]
    }

    /// The fields every region of the price list must have.
    static let priceListFields: Set<String> = [
        "shardHour", "extendedRetentionShardHour", "longTermRetentionGBMonth", "onDemandStreamHour"
    ]

    /// Regions of `rows` that lack a field or hold a price that is not a positive number, with what is wrong.
    static func incompleteRows(_ rows: [String: [String: Double]]) -> [String: [String]] {
        var problems: [String: [String]] = [:]
        for (region, row) in rows {
            var wrong = priceListFields.subtracting(row.keys).sorted().map { "no \($0)" }
            wrong += row.filter { !($0.value > 0 && $0.value.isFinite) }.keys.sorted().map { "bad \($0)" }
            wrong += Set(row.keys).subtracting(priceListFields).sorted().map { "unknown \($0)" }
            if !wrong.isEmpty { problems[region] = wrong }
        }
        return problems
    }
}
