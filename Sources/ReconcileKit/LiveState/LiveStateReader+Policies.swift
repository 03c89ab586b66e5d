import AWSClient

/// Which resource policies a stream read includes: none, the stream's and its consumers' when the
/// stream carries reconcile's policy tag, or always (a policy is declared; export).
public enum ResourcePolicyRead: Sendable, Hashable {
    case none, whenManaged, always
}

extension LiveStateReader {
    /// Reads the stream's resource policy and those of the consumers read with it (GetResourcePolicy each).
    func readResourcePolicies(of stream: inout LiveStream, kinesis: KinesisClient) async throws {
        let arn = stream.arn
        async let own = limiter.run { try await kinesis.getResourcePolicy(resourceARN: arn) }
        var byConsumer: [String: ResourcePolicy]?
        if let consumers = stream.consumers {
            byConsumer = try await withThrowingTaskGroup(of: (String, ResourcePolicy?).self) { group in
                for consumer in consumers {
                    group.addTask {
                        let text = try await limiter.run {
                            try await kinesis.getResourcePolicy(resourceARN: consumer.arn)
                        }
                        return (consumer.name, text.flatMap(ResourcePolicy.init(policyText:)))
                    }
                }
                var found: [String: ResourcePolicy] = [:]
                for try await (name, policy) in group { if let policy { found[name] = policy } }
                return found
            }
        }
        stream.resourcePolicy = try await own.flatMap(ResourcePolicy.init(policyText:))
        stream.consumerPolicies = byConsumer
    }
}
