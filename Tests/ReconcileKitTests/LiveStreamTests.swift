import AWSClient
import Testing

@testable import ReconcileKit

@Suite("live streams: the client's summary kept whole, viewed as manifests type it")
struct LiveStreamTests {
    /// The stored shape live streams had before they wrapped the summary (synthesized Codable),
    /// as plans saved then fingerprinted them.
    struct EarlierShape: Encodable {
        var name, region, arn, status: String
        var mode: StreamMode
        var openShardCount, retentionPeriodHours: Int
        var encryptionKeyId: String?
        var shardLevelMetrics: [String]
        var tags: [String: String]
        var consumers: [LiveConsumer]?
    }

    static let summary = KinesisStreamSummary(
        streamName: "orders", streamARN: "arn:aws:kinesis:eu-west-1:123456789012:stream/orders",
        streamStatus: "UPDATING", streamMode: "ON_DEMAND", openShardCount: 4, retentionPeriodHours: 48,
        encryptionType: "KMS", keyId: "alias/orders", enhancedMetrics: ["IncomingBytes", "OutgoingBytes"],
        consumerCount: 1)

    @Test("the views read the summary: mode typed, encryption as a key or none")
    func views() {
        let stream = LiveStream(summary: Self.summary, region: "eu-west-1")
        #expect(stream.name == "orders" && stream.arn == Self.summary.streamARN && stream.status == "UPDATING")
        #expect(stream.mode == .onDemand && stream.openShardCount == 4 && stream.retentionPeriodHours == 48)
        #expect(stream.encryption == .kms(keyId: "alias/orders"))
        var plain = Self.summary
        plain.encryptionType = "NONE"
        plain.keyId = nil
        #expect(LiveStream(summary: plain, region: "eu-west-1").encryption == StreamEncryption.none)
    }

    @Test("the fingerprint is the one plans saved with the earlier shape carry")
    func fingerprintUnchanged() {
        let consumer = LiveConsumer(name: "audit", arn: "\(Self.summary.streamARN)/consumer/audit:1", status: "")
        let stream = LiveStream(
            summary: Self.summary, region: "eu-west-1", tags: ["team": "data"],
            consumers: [LiveConsumer(name: "audit", arn: consumer.arn, status: "ACTIVE")])
        let earlier = EarlierShape(
            name: "orders", region: "eu-west-1", arn: Self.summary.streamARN, status: "", mode: .onDemand,
            openShardCount: 4, retentionPeriodHours: 48, encryptionKeyId: "alias/orders",
            shardLevelMetrics: ["IncomingBytes", "OutgoingBytes"], tags: ["team": "data"], consumers: [consumer])
        #expect(Fingerprint.of(stream: stream) == Fingerprint.of(encodable: earlier))
        let unencrypted = LiveStream(name: "logs", region: "eu-west-1", arn: "arn:x", status: "ACTIVE")
        let earlierUnencrypted = EarlierShape(
            name: "logs", region: "eu-west-1", arn: "arn:x", status: "", mode: .provisioned, openShardCount: 1,
            retentionPeriodHours: 24, encryptionKeyId: nil, shardLevelMetrics: [], tags: [:], consumers: nil)
        #expect(Fingerprint.of(stream: unencrypted) == Fingerprint.of(encodable: earlierUnencrypted))
    }
}
