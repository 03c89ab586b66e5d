/// The global options' AWS values, as the command line gave them (nil: not given).
public struct SessionOptions: Sendable, Hashable {
    public var region: String?
    public var profile: String?
    public var endpointURL: String?
    public var project: String?
    public var rateLimits: RateLimitMode?
    /// Log one line per AWS request.
    public var verbose: Bool

    public init(
        region: String?, profile: String?, endpointURL: String?, project: String?, rateLimits: RateLimitMode?,
        verbose: Bool
    ) {
        self.region = region
        self.profile = profile
        self.endpointURL = endpointURL
        self.project = project
        self.rateLimits = rateLimits
        self.verbose = verbose
    }

    /// `--project`, else `RECONCILE_PROJECT`, else `default` (empty counts as unset).
    public func resolvedProject(environment: [String: String]) -> String {
        if let project, !project.isEmpty { return project }
        if let fromEnvironment = environment["RECONCILE_PROJECT"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "default"
    }
}

/// `--rate-limits`: whether the client paces itself to AWS's quotas.
public enum RateLimitMode: String, Sendable, Hashable, CaseIterable {
    case aws, off
}
