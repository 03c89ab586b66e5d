import AWSClient
import Testing

@testable import ReconcileKit

@Suite("Bulk tag answers: what is taken as is and what is confirmed")
struct BulkTagTests {
    static let owner = [OwnershipTag.key: "shop"]

    @Test("a direct stream's bulk tags are taken only when they are its declared tags and this project's, exactly")
    func directStreams() {
        let expected = TagExpectation.exactly(["team": "data"], project: "shop")
        #expect(expected.isMet(by: ["team": "data"].merging(Self.owner) { $1 }))
        // aws: tags are not the plan's to compare.
        #expect(expected.isMet(by: ["team": "data", "aws:createdBy": "x"].merging(Self.owner) { $1 }))
        #expect(!expected.isMet(by: ["team": "ops"].merging(Self.owner) { $1 }), "another value")
        #expect(!expected.isMet(by: ["team": "data", "extra": "1"].merging(Self.owner) { $1 }), "an undeclared tag")
        #expect(!expected.isMet(by: ["team": "data"]), "no ownership tag")
        #expect(!expected.isMet(by: ["team": "data", OwnershipTag.key: "other"]), "another project's")
        #expect(!expected.isMet(by: Self.owner), "a declared tag missing")
    }

    @Test("a stack member's bulk tags are taken when they hold its declared tags; the stack's own may be there too")
    func stackMembers() {
        let expected = TagExpectation.including(["team": "data"])
        #expect(expected.isMet(by: ["team": "data", "aws:cloudformation:stack-name": "s", "cost": "1"]))
        #expect(!expected.isMet(by: ["team": "ops"]))
        #expect(!expected.isMet(by: [:]))
        #expect(TagExpectation.including([:]).isMet(by: [:]))
    }

    @Test("the answer is split into streams by name and consumers by ARN without its time; other ARNs are left out")
    func regionalTags() {
        let prefix = "arn:aws:kinesis:eu-central-1:123456789012:stream"
        let tags = RegionalTags([
            TaggedResource(arn: "\(prefix)/orders", tags: ["team": "data"]),
            TaggedResource(arn: "\(prefix)/orders/consumer/reader:1700000000", tags: ["team": "c"]),
            TaggedResource(arn: "\(prefix)/orders/consumer/writer", tags: ["team": "w"]),
            TaggedResource(arn: "\(prefix)/orders/shard/x", tags: ["team": "s"]),
            TaggedResource(arn: "arn:aws:sqs:eu-central-1:123456789012:queue", tags: ["team": "q"])
        ])
        #expect(tags.streams == ["orders": ["team": "data"]])
        #expect(
            tags.consumers == [
                "\(prefix)/orders/consumer/reader": ["team": "c"], "\(prefix)/orders/consumer/writer": ["team": "w"]
            ])
        #expect(
            RegionalTags.consumerKey(arn: "\(prefix)/orders/consumer/reader:1700000000")
                == "\(prefix)/orders/consumer/reader")
        #expect(RegionalTags.consumerKey(arn: "\(prefix)/orders") == nil)
    }

    @Test("a consumer's bulk tags are taken only when they are exactly its declared tags, aws: tags aside")
    func consumerExpectation() {
        let expected = TagExpectation.consumer(["team": "readers"])
        #expect(expected.isMet(by: ["team": "readers"]))
        #expect(expected.isMet(by: ["team": "readers", "aws:cloudformation:stack-name": "s"]))
        #expect(!expected.isMet(by: ["team": "readers", "extra": "x"]))
        #expect(!expected.isMet(by: ["team": "writers"]))
        #expect(!expected.isMet(by: [:]))
    }

    @Test("declared streams read in bulk with their expectation; without a bulk reader, per stream")
    func tagSources() async {
        let direct = StreamSpec(name: "d", tags: ["team": "data"])
        let member = StreamSpec(name: "m", stack: "s", tags: ["team": "data"])
        guard case .own = TagSource.declared(direct, project: "shop", bulk: nil) else {
            Issue.record("without a bulk reader the stream's own tags are read")
            return
        }
        let client = AWSClient(
            credentials: .init(accessKeyId: "a", secretAccessKey: "b"), environment: AWSEnvironment([:]),
            retryPolicy: RetryPolicy(maxAttempts: 1))
        let cache = BulkTagCache(client: client, limiter: ConcurrencyLimiter(limit: 1), note: nil)
        if case .bulk(_, let expected) = TagSource.declared(direct, project: "shop", bulk: cache) {
            #expect(expected == .exactly(["team": "data"], project: "shop"))
        } else {
            Issue.record("a direct stream reads in bulk")
        }
        if case .bulk(_, let expected) = TagSource.declared(member, project: "shop", bulk: cache) {
            #expect(expected == .including(["team": "data"]))
        } else {
            Issue.record("a stack member reads in bulk")
        }
        try? await client.shutdown()
    }
}
