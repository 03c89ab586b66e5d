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

    public init(shardHour: Double, extendedRetentionShardHour: Double, onDemandStreamHour: Double) {
        self.shardHour = shardHour
        self.extendedRetentionShardHour = extendedRetentionShardHour
        self.onDemandStreamHour = onDemandStreamHour
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

    public static func prices(for region: String) -> KinesisPrices? { table[region] }
}
