import AWSClient
import Crypto
import Formats
import Foundation

/// Digests of live state, so `apply --plan` can tell whether AWS changed since the plan.
public enum Fingerprint {
    public static let absent = digest(Data("absent".utf8))

    /// Volatile fields (a stream's ACTIVE/UPDATING status) are left out: they change
    /// without anyone changing the resource.
    public static func of(stream: LiveStream?) -> String {
        guard var stream else { return absent }
        stream.summary.streamStatus = ""
        stream.consumers = stream.consumers?.map { LiveConsumer(name: $0.name, arn: $0.arn, status: "") }
        return of(encodable: stream)
    }

    public static func of(stack: LiveStack?) -> String {
        guard let stack else { return absent }
        return of(encodable: stack)
    }

    /// Tags count when they were read (a consumer's tags are compared with its manifest).
    public static func of(consumer: LiveConsumer?) -> String {
        guard let consumer else { return absent }
        return of(encodable: LiveConsumer(name: consumer.name, arn: consumer.arn, status: "", tags: consumer.tags))
    }

    public static func combining(_ parts: [String]) -> String {
        digest(Data(parts.joined(separator: "\n").utf8))
    }

    /// The digest of the value's `JSONEncoder` serialization with `.sortedKeys` (what saved plans
    /// hold), written by `JSONValueEncoder` and `JSONWriter` for the same bytes in less time.
    static func of<Value: Encodable>(encodable value: Value) -> String {
        guard let json = try? JSONValueEncoder.encode(value) else { return digest([UInt8]()) }
        return digest(json.serializedBytes(escapingSlashes: true))
    }

    private static func digest(_ bytes: some DataProtocol) -> String {
        "sha256:" + SHA256.hash(data: bytes).lowercaseHex
    }
}
