import AWSClient

/// The resolved settings for talking to AWS in one run.
public struct AWSSettings: Sendable {
    public var environment: AWSEnvironment
    public var cliRegion: String?
    public var profile: String?

    public init(environment: AWSEnvironment, cliRegion: String?, profile: String?) {
        self.environment = environment
        self.cliRegion = cliRegion
        self.profile = profile
    }

    /// The settings of the global options, with the process environment's variables.
    public init(_ options: SessionOptions, environment: [String: String]) {
        self.init(environment: AWSEnvironment(environment), cliRegion: options.region, profile: options.profile)
    }

    /// The region of a resource that declares none: flags, environment, profile.
    public func defaultRegion() throws -> String {
        try RegionResolver.resolve(declared: nil, cliRegion: cliRegion, profile: profile, environment: environment)
    }

    /// The region of every declared address (SPEC 4): `metadata.region`, else flags,
    /// environment and profile. Stack members live in their stack's region.
    public func regions(for desired: DesiredState) throws -> [ResourceAddress: String] {
        var regions: [ResourceAddress: String] = [:]
        func resolve(_ declared: String?) throws -> String {
            try RegionResolver.resolve(
                declared: declared, cliRegion: cliRegion, profile: profile, environment: environment)
        }
        for stack in desired.stacks {
            let memberRegion = desired.streams(inStack: stack.name).compactMap(\.region).first
            regions[stack.address] = try resolve(stack.region ?? memberRegion)
        }
        for stream in desired.streams {
            regions[stream.address] = try stream.stack.flatMap { regions[.stack($0)] } ?? resolve(stream.region)
        }
        for consumer in desired.consumers {
            regions[consumer.address] = try regions[.stream(consumer.stream)] ?? resolve(nil)
        }
        return regions
    }
}

/// Plans against live state: read what exists, then diff. The one place `plan`,
/// `apply` and `destroy` get their plan from.
public struct Reconciler: Sendable {
    public let client: AWSClient
    public let settings: AWSSettings
    public var readConcurrency: Int
    /// Receives `--verbose` notes about how live state was read.
    public var note: (@Sendable (String) -> Void)?

    /// Read calls in flight at once. 16, as the thread pool a careful boto3 user writes: with
    /// 30 ms per call, 8 left a 1,000-stream plan slower than that script (docs/benchmarks.md).
    /// Against AWS the rate limiter, not this, paces the reads.
    public static let defaultReadConcurrency = 16

    public init(client: AWSClient, settings: AWSSettings, readConcurrency: Int = Reconciler.defaultReadConcurrency) {
        self.client = client
        self.settings = settings
        self.readConcurrency = readConcurrency
    }

    public func plan(_ desired: DesiredState, options: PlanOptions) async throws -> Plan {
        let regions = try settings.regions(for: desired)
        var reader = LiveStateReader(client: client, concurrency: readConcurrency)
        reader.note = note
        // Destroy deletes what it finds owned: its ownership reads stay per stream, never eventually consistent.
        reader.readsTagsInBulk = options.mode == .apply
        // Undeclared project resources are always looked for (listed without --prune, deleted
        // with it): one ListStreams and one DescribeStacks page per 100/50 resources, plus a tag
        // read only for streams that no manifest declares.
        let live = try await reader.read(
            desired: desired, regions: regions, project: options.project, discoverUndeclared: options.mode == .apply,
            readAllConsumers: options.prune)
        var plan = try Planner.plan(desired: desired, regions: regions, live: live, options: options)
        try await AccountQuotaCheck(client: client).check(plan, desired: desired, live: live)
        plan.options = SavedPlanOptions(prune: options.prune, adopt: options.adopt)
        return plan
    }
}
