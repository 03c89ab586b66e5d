import AWSClient
import Crypto
import Formats
import Foundation
import TestSupport
import Testing

@testable import ReconcileKit

/// Saved plans hold fingerprints that earlier builds computed with `JSONEncoder`; a plan saved by
/// one build must still apply with the next, so the digests must not change with how they are made.
@Suite("Fingerprints keep JSONEncoder's digests")
struct FingerprintTests {
    static func encoderDigest(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return "sha256:" + SHA256.hash(data: try encoder.encode(value)).lowercaseHex
    }

    static func tags(_ generator: inout SplitMix64) -> [String: String] {
        var tags: [String: String] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &generator) {
            tags[RandomJSONDocument.string(&generator)] = RandomJSONDocument.string(&generator)
        }
        return tags
    }

    static func consumer(_ generator: inout SplitMix64) -> LiveConsumer {
        LiveConsumer(
            name: RandomJSONDocument.string(&generator), arn: "arn:aws:kinesis:eu-west-1:1:stream/s/consumer/c:1",
            status: "ACTIVE", tags: Bool.random(using: &generator) ? tags(&generator) : nil)
    }

    @Test("streams, stacks and consumers, random, digest as JSONEncoder's bytes do")
    func randomLiveState() throws {
        for seed in 0..<300 as Range<UInt64> {
            var generator = SplitMix64(state: seed)
            let stream = LiveStream(
                name: RandomJSONDocument.string(&generator), region: "eu-west-1",
                arn: "arn:aws:kinesis:eu-west-1:123456789012:stream/\(seed)",
                mode: Bool.random(using: &generator) ? .onDemand : .provisioned,
                openShardCount: Int.random(in: 1...64, using: &generator),
                encryptionKeyId: Bool.random(using: &generator) ? "alias/aws/kinesis" : nil,
                shardLevelMetrics: ["IncomingBytes"], tags: Self.tags(&generator),
                consumers: Bool.random(using: &generator) ? [Self.consumer(&generator)] : nil,
                maxRecordSizeKiB: Bool.random(using: &generator) ? 1024 : nil)
            let stack = LiveStack(
                name: "stack-\(seed)", region: "eu-west-1",
                stackId: "arn:aws:cloudformation:eu-west-1:1:stack/s/\(seed)",
                statusReason: Bool.random(using: &generator) ? RandomJSONDocument.string(&generator) : nil,
                tags: Self.tags(&generator), parameters: Self.tags(&generator),
                terminationProtection: Bool.random(using: &generator),
                template: Bool.random(using: &generator) ? RandomJSONDocument.value(&generator) : nil)
            var volatileFree = stream
            volatileFree.summary.streamStatus = ""
            volatileFree.consumers = stream.consumers?.map { LiveConsumer(name: $0.name, arn: $0.arn, status: "") }
            #expect(Fingerprint.of(stream: stream) == (try Self.encoderDigest(volatileFree)), "seed \(seed)")
            #expect(Fingerprint.of(stack: stack) == (try Self.encoderDigest(stack)), "seed \(seed)")
            let consumer = Self.consumer(&generator)
            #expect(
                Fingerprint.of(consumer: consumer)
                    == (try Self.encoderDigest(
                        LiveConsumer(name: consumer.name, arn: consumer.arn, status: "", tags: consumer.tags))),
                "seed \(seed)")
        }
    }
}
