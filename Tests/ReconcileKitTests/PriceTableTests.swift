import Testing

@testable import ReconcileKit

/// The price tables reconcile ships: every region complete, nothing guessed.
@Suite("Kinesis price tables")
struct PriceTableTests {
    @Test("every region of the price list has all four prices, each a positive number")
    func priceListIsComplete() {
        #expect(KinesisPricing.incompleteRows(KinesisPricing.priceList).isEmpty)
        #expect(KinesisPricing.priceList.isEmpty || !KinesisPricing.priceListPublished.isEmpty)
    }

    @Test("the completeness check names a region that lacks a field, holds a zero or an unknown field")
    func completenessCheckCatchesGaps() {
        let rows: [String: [String: Double]] = [
            "good-1": [
                "shardHour": 1, "extendedRetentionShardHour": 2, "longTermRetentionGBMonth": 3, "onDemandStreamHour": 4
            ],
            "lacking-1": ["shardHour": 1, "extendedRetentionShardHour": 2, "onDemandStreamHour": 4],
            "zero-1": [
                "shardHour": 0, "extendedRetentionShardHour": 2, "longTermRetentionGBMonth": 3, "onDemandStreamHour": 4,
                "putUnit": 5
            ]
        ]
        #expect(
            KinesisPricing.incompleteRows(rows) == [
                "lacking-1": ["no longTermRetentionGBMonth"], "zero-1": ["bad shardHour", "unknown putUnit"]
            ])
    }

    @Test("a complete price-list row prices its region; an incomplete one never does")
    func rowsBecomePrices() {
        let row = [
            "shardHour": 1.5, "extendedRetentionShardHour": 2, "longTermRetentionGBMonth": 3, "onDemandStreamHour": 4
        ]
        #expect(
            KinesisPrices(priceListRow: row)
                == KinesisPrices(
                    shardHour: 1.5, extendedRetentionShardHour: 2, onDemandStreamHour: 4, longTermRetentionGBMonth: 3))
        #expect(KinesisPrices(priceListRow: row.filter { $0.key != "onDemandStreamHour" }) == nil)
    }

    @Test("the price note names the price list and its date once it has regions, the hand-kept table for the rest")
    func priceNote() {
        let empty = CapacityDelta.priceNote(priceListRegions: [], published: "")
        #expect(empty.hasPrefix("Prices: Kinesis Data Streams list prices (us-east-1 only) from "))
        let listed = CapacityDelta.priceNote(
            priceListRegions: ["eu-central-1", "eu-west-1"], published: "2026-11-01T00:00:00Z")
        #expect(listed.hasPrefix("Prices: AWS's price list for Kinesis Data Streams (2 regions, published 2026-11-01)"))
        #expect(listed.contains("; elsewhere Kinesis Data Streams list prices (us-east-1 only)"))
        let all = CapacityDelta.priceNote(priceListRegions: ["us-east-1"], published: "2026-11-01T00:00:00Z")
        #expect(!all.contains("elsewhere") && all.hasSuffix("not included."))
    }

    @Test("the hand-kept table has the three hourly prices of each region it lists, each positive")
    func handKeptTable() {
        for (region, prices) in KinesisPricing.table {
            #expect(
                [prices.shardHour, prices.extendedRetentionShardHour, prices.onDemandStreamHour].allSatisfy { $0 > 0 },
                "\(region)")
        }
    }
}
