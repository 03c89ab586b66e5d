import AWSClient

/// The tags of one region's resources as the Resource Groups Tagging API reported them.
///
/// That answer is eventually consistent: a tag changed seconds ago may show its old value, and a
/// resource never tagged is absent. It decides only when it already shows what the manifest
/// expects; anything else is confirmed with the resource's own tag call.
struct RegionalTags: Sendable, Hashable {
    /// Tags by stream name.
    var streams: [String: [String: String]] = [:]
    /// Tags of enhanced fan-out consumers, by `consumerKey(arn:)`, when the answer lists them: AWS does
    /// not document whether the Tagging API indexes consumers, so an absent one is simply read on its own.
    var consumers: [String: [String: String]] = [:]

    /// Splits a `GetResources` answer by resource: streams by name, consumers by ARN without the
    /// registration time that ends it.
    init(_ resources: [TaggedResource]) {
        for resource in resources {
            if let name = Self.streamName(arn: resource.arn) {
                streams[name] = resource.tags
            } else if let key = Self.consumerKey(arn: resource.arn) {
                consumers[key] = resource.tags
            }
        }
    }

    /// `arn:…:stream/NAME/consumer/CONSUMER:TIME` → `arn:…:stream/NAME/consumer/CONSUMER`; nil for any
    /// other ARN. The time is left out so a consumer matches whichever form a listing gives.
    static func consumerKey(arn: String) -> String? {
        guard let path = resourcePath(ofARN: arn), path.count == 4, path[0].elementsEqual("stream".utf8),
            !path[1].isEmpty, path[2].elementsEqual("consumer".utf8)
        else { return nil }
        let name = path[3].prefix { $0 != UInt8(ascii: ":") }
        return name.isEmpty ? nil : String(Substring(arn.utf8[..<name.endIndex]))
    }

    /// `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME` → `NAME`; nil for any other ARN.
    static func streamName(arn: String) -> String? {
        guard let path = resourcePath(ofARN: arn), path.count == 2, path[0].elementsEqual("stream".utf8),
            !path[1].isEmpty
        else { return nil }
        return String(Substring(path[1]))
    }

    /// The resource part of an ARN (what follows its fifth colon) split at `/`; nil for an ARN of fewer
    /// parts. By bytes: Foundation's `range(of:)` cost more than the rest of splitting a 1,000-stream answer.
    private static func resourcePath(ofARN arn: String) -> [Substring.UTF8View]? {
        let parts = arn.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        return parts[5].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
    }
}

/// What a declared stream's tags must be for the bulk answer to be taken without confirmation.
enum TagExpectation: Sendable, Hashable {
    /// A directly managed stream: exactly its declared tags and the project's ownership tag
    /// (`aws:` tags and reconcile's other reserved tags aside, as the plan compares them).
    case exactly([String: String], project: String)
    /// A stack member: at least its declared tags (the stack adds its own, propagated).
    case including([String: String])
    /// A consumer of a directly managed stream: exactly its declared tags (`aws:` tags aside).
    case consumer([String: String])

    func isMet(by tags: [String: String]) -> Bool {
        switch self {
        case .exactly(let declared, let project):
            let own = tags.filter { !$0.key.hasPrefix("aws:") && !OwnershipTag.reservedKeys.contains($0.key) }
            return tags[OwnershipTag.key] == project && own == declared
        case .including(let declared):
            return declared.allSatisfy { tags[$0.key] == $0.value }
        case .consumer(let declared):
            return tags.filter { !$0.key.hasPrefix("aws:") } == declared
        }
    }
}

/// One paged `GetResources` per region and plan, shared by every stream of the region and by
/// discovery; concurrent askers wait for the same read.
actor BulkTagCache {
    private let client: AWSClient
    private let limiter: ConcurrencyLimiter
    private let note: (@Sendable (String) -> Void)?
    private var reads: [String: Task<RegionalTags?, Error>] = [:]

    init(client: AWSClient, limiter: ConcurrencyLimiter, note: (@Sendable (String) -> Void)?) {
        self.client = client
        self.limiter = limiter
        self.note = note
    }

    /// The region's stream tags; nil when the caller may not read them in bulk (no
    /// `tag:GetResources`), so every stream's tags are read on their own.
    func tags(region: String) async throws -> RegionalTags? {
        if let read = reads[region] { return try await read.value }
        let (client, limiter, note) = (client, limiter, note)
        let read = Task { try await Self.read(region: region, client: client, limiter: limiter, note: note) }
        reads[region] = read
        return try await read.value
    }

    private static func read(
        region: String, client: AWSClient, limiter: ConcurrencyLimiter, note: (@Sendable (String) -> Void)?
    ) async throws -> RegionalTags? {
        let tagging = try client.tagging(region: region)
        do {
            let resources = try await limiter.run { try await tagging.getResources(types: [.kinesisStream]) }
            return RegionalTags(resources)
        } catch let error as AWSError where error.taggingCode == .accessDenied {
            note?(
                "tag:GetResources is not allowed in \(region): reading each stream's tags with ListTagsForStream "
                    + "instead (one call per stream)")
            return nil
        }
    }
}
