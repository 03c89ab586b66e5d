import AWSClient
import Formats
import Foundation

/// The data-plane check of `verify`: put a test record, read it back, compare bytes.
public struct StreamVerifier: Sendable {
    public struct Result: Sendable, Hashable, Codable {
        public var stream: String
        public var region: String
        public var ok: Bool
        public var shardId: String?
        public var sequenceNumber: String?
        public var roundTripMilliseconds: Int?
        public var problem: String?
    }

    public let client: AWSClient

    public init(client: AWSClient) { self.client = client }

    public func verify(stream name: String, region: String) async -> Result {
        var result = Result(stream: name, region: region, ok: false)
        do {
            let kinesis = try client.kinesis(region: region)
            guard let summary = try await kinesis.describeStreamSummary(streamName: name) else {
                result.problem = "stream does not exist (run 'reconcile apply' first)"
                return result
            }
            guard summary.streamStatus == "ACTIVE" || summary.streamStatus == "UPDATING" else {
                result.problem = "stream is \(summary.streamStatus), not ACTIVE"
                return result
            }
            let nonce = UUID().uuidString
            let payload = JSONValue.object([
                "source": "reconcile verify", "stream": .string(name), "nonce": .string(nonce),
                "sentAt": .string(ISO8601DateFormatter().string(from: Date()))
            ]).serialized()
            let clock = ContinuousClock()
            let start = clock.now
            let put = try await kinesis.putRecord(
                streamName: name, data: payload, partitionKey: "reconcile-verify-\(nonce)")
            result.shardId = put.shardId
            result.sequenceNumber = put.sequenceNumber
            let iterator = try await kinesis.getShardIterator(
                streamName: name, shardId: put.shardId, type: "AT_SEQUENCE_NUMBER",
                startingSequenceNumber: put.sequenceNumber)
            // A record is readable almost at once; a few bounded reads cover a slow endpoint.
            var nextIterator: String? = iterator
            for attempt in 0..<10 {
                guard let current = nextIterator else { break }
                let page = try await kinesis.getRecords(shardIterator: current, limit: 10)
                if let record = page.records.first(where: { $0.sequenceNumber == put.sequenceNumber }) {
                    guard record.data == payload else {
                        result.problem = "read back a record whose bytes differ from what was put"
                        return result
                    }
                    result.ok = true
                    let elapsed = clock.now - start
                    result.roundTripMilliseconds = Int(
                        elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
                    return result
                }
                nextIterator = page.nextShardIterator
                try await Task.sleep(for: .milliseconds(100 * (attempt + 1)))
            }
            result.problem = "put record \(put.sequenceNumber) on \(put.shardId) but could not read it back"
        } catch {
            result.problem = String(describing: error)
        }
        return result
    }
}
