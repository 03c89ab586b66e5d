import Foundation

/// What a change adds (positive) or removes (negative) per billing month (730 hours):
/// provisioned shard-hours, on-demand stream-hours and extended-retention shard-hours
/// (provisioned shards while retention is above 24 hours), with an estimated cost
/// delta when the region is in `KinesisPricing.table`.
public struct CapacityDelta: Sendable, Hashable, Codable {
    public var shardHours: Int
    public var streamHours: Int
    public var extendedRetentionShardHours: Int
    /// USD per month, rounded to cents; nil when a region has no price in the table.
    public var estimatedMonthlyCostUSD: Double?
    /// Regions of the changes that have no price (capacity only).
    public var unpricedRegions: [String]?

    public init(
        shardHours: Int = 0, streamHours: Int = 0, extendedRetentionShardHours: Int = 0,
        estimatedMonthlyCostUSD: Double? = nil, unpricedRegions: [String]? = nil
    ) {
        self.shardHours = shardHours
        self.streamHours = streamHours
        self.extendedRetentionShardHours = extendedRetentionShardHours
        self.estimatedMonthlyCostUSD = estimatedMonthlyCostUSD
        self.unpricedRegions = unpricedRegions
    }

    public var isZero: Bool { shardHours == 0 && streamHours == 0 && extendedRetentionShardHours == 0 }

    /// Monthly capacity of one stream configuration (nil: the stream does not exist).
    public struct Footprint: Sendable, Hashable {
        public var mode: StreamMode
        /// Open shards; ignored for ON_DEMAND.
        public var shards: Int
        public var retentionPeriodHours: Int

        public init(mode: StreamMode, shards: Int, retentionPeriodHours: Int) {
            self.mode = mode
            self.shards = shards
            self.retentionPeriodHours = retentionPeriodHours
        }

        var shardHours: Int { mode == .provisioned ? shards * KinesisPricing.hoursPerMonth : 0 }
        var streamHours: Int { mode == .onDemand ? KinesisPricing.hoursPerMonth : 0 }
        var extendedRetentionShardHours: Int { retentionPeriodHours > 24 ? shardHours : 0 }
    }

    /// The delta from `before` to `after` in `region`.
    public static func between(_ before: Footprint?, _ after: Footprint?, region: String) -> CapacityDelta {
        var delta = CapacityDelta(
            shardHours: (after?.shardHours ?? 0) - (before?.shardHours ?? 0),
            streamHours: (after?.streamHours ?? 0) - (before?.streamHours ?? 0),
            extendedRetentionShardHours: (after?.extendedRetentionShardHours ?? 0)
                - (before?.extendedRetentionShardHours ?? 0))
        if let prices = KinesisPricing.prices(for: region) {
            delta.estimatedMonthlyCostUSD = delta.cost(at: prices)
        } else if !delta.isZero {
            delta.unpricedRegions = [region]
        }
        return delta
    }

    func cost(at prices: KinesisPrices) -> Double {
        let dollars =
            Double(shardHours) * prices.shardHour + Double(streamHours) * prices.onDemandStreamHour
            + Double(extendedRetentionShardHours) * prices.extendedRetentionShardHour
        return Self.cents(dollars)
    }

    static func cents(_ dollars: Double) -> Double { (dollars * 100).rounded() / 100 }

    /// The sum of several deltas; the cost only when every non-zero delta had a price.
    public static func total(_ deltas: [CapacityDelta]) -> CapacityDelta? {
        guard !deltas.isEmpty else { return nil }
        var total = CapacityDelta()
        var cost = 0.0
        var unpriced = Set<String>()
        for delta in deltas {
            total.shardHours += delta.shardHours
            total.streamHours += delta.streamHours
            total.extendedRetentionShardHours += delta.extendedRetentionShardHours
            cost += delta.estimatedMonthlyCostUSD ?? 0
            unpriced.formUnion(delta.unpricedRegions ?? [])
        }
        if unpriced.isEmpty {
            total.estimatedMonthlyCostUSD = cents(cost)
        } else {
            total.unpricedRegions = unpriced.sorted()
        }
        return total
    }
}

extension CapacityDelta {
    /// `+730 shard-hours, +730 extended-retention shard-hours per month (≈ +$25.55/month)`.
    public var summaryText: String { summaryText(namingUnpricedRegions: true) }

    /// - Parameter namingUnpricedRegions: say which regions have no price table. A resource's line
    ///   leaves it to the plan's total, which would otherwise repeat on every resource of the region.
    public func summaryText(namingUnpricedRegions: Bool) -> String {
        var parts: [String] = []
        func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : "\(value)" }
        if shardHours != 0 { parts.append("\(signed(shardHours)) shard-hours") }
        if streamHours != 0 { parts.append("\(signed(streamHours)) on-demand stream-hours") }
        if extendedRetentionShardHours != 0 {
            parts.append("\(signed(extendedRetentionShardHours)) extended-retention shard-hours")
        }
        var text = parts.isEmpty ? "no capacity change" : parts.joined(separator: ", ") + " per month"
        if let cost = estimatedMonthlyCostUSD {
            if !isZero { text += " (≈ \(Self.money(cost))/month at list prices)" }
        } else if namingUnpricedRegions, let regions = unpricedRegions, !regions.isEmpty {
            text += " (no price table for \(regions.joined(separator: ", ")): capacity only)"
        }
        return text
    }

    static func money(_ value: Double) -> String {
        let sign = value < 0 ? "-" : "+"
        return sign + "$" + String(format: "%.2f", abs(value))
    }

    /// The note under the totals saying where prices come from.
    public static var priceNote: String {
        priceNote(priceListRegions: Array(KinesisPricing.priceList.keys), published: KinesisPricing.priceListPublished)
    }

    /// The note for a price list covering `priceListRegions` (published on `published`), with the
    /// hand-kept table for the regions it lacks; as before the price list existed when it is empty.
    static func priceNote(priceListRegions: [String], published: String) -> String {
        let usage = "usage charges (PUT units, data, per-GB retention) not included."
        let handKept = Set(KinesisPricing.table.keys).subtracting(priceListRegions).sorted()
        let handKeptText =
            "Kinesis Data Streams list prices (\(handKept.joined(separator: ", ")) only) from "
            + "\(KinesisPricing.source), as of \(KinesisPricing.asOf)"
        guard !priceListRegions.isEmpty else { return "Prices: \(handKeptText); \(usage)" }
        let count = priceListRegions.count
        let listText =
            "AWS's price list for Kinesis Data Streams (\(count) region\(count == 1 ? "" : "s"), published "
            + "\(published.prefix(10)))"
        return "Prices: \(listText)\(handKept.isEmpty ? "" : "; elsewhere \(handKeptText)"); \(usage)"
    }
}
