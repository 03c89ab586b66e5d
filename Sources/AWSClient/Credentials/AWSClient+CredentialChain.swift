import Foundation

extension AWSClient {
    /// The client a command uses: credentials from the AWS CLI's chain (see `CredentialChain`),
    /// refreshed before they expire, and the network settings (CA bundle, proxies) of the
    /// environment and the profile. Misconfiguration throws here, before any request.
    ///
    /// - Parameters:
    ///   - profile: `--profile`; nil uses `AWS_PROFILE`, else `default`.
    ///   - cliRegion: `--region`; with the variables and the profile it picks the region of STS calls.
    public static func resolving(
        profile: String?, cliRegion: String?, environment: AWSEnvironment, endpointOverride: String? = nil,
        retryPolicy: RetryPolicy, rateLimits: RateLimits? = nil, requestTimeout: Duration = .seconds(30),
        observer: (@Sendable (AWSRequestEvent) -> Void)? = nil, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws -> AWSClient {
        let profiles = try SharedProfiles(environment: environment)
        let explicit = profile.flatMap { $0.isEmpty ? nil : $0 }
        let profileName = explicit ?? environment["AWS_PROFILE"] ?? "default"
        let network = try NetworkSettings(
            environment: environment, profileCABundle: profiles.profile(profileName)?["ca_bundle"])
        let transport = HTTPTransport(settings: network, connectTimeout: min(requestTimeout, .seconds(10)))
        let stsRegion =
            (try? RegionResolver.resolve(
                declared: nil, cliRegion: cliRegion, profile: explicit, environment: environment)) ?? "us-east-1"
        let context = CredentialContext(
            environment: environment, profiles: profiles, transport: transport, retryPolicy: retryPolicy,
            observer: observer, stsRegion: stsRegion, clock: clock)
        let provider: any CredentialProvider
        do {
            provider = try CredentialChain.resolve(explicitProfile: explicit, context: context)
        } catch {
            transport.shutdownInBackground()
            throw error
        }
        let fromProfile =
            !(provider is LastResortProvider || provider is ContainerCredentialProvider
            || (provider as? StaticCredentialProvider)?.sourceDescription.hasPrefix("environment") == true)
        return AWSClient(
            provider: RefreshingCredentials(provider, clock: clock), profile: fromProfile ? profileName : nil,
            environment: environment, transport: transport, ownsTransport: true, endpointOverride: endpointOverride,
            retryPolicy: retryPolicy, rateLimits: rateLimits, requestTimeout: requestTimeout, observer: observer,
            signingClock: clock)
    }

    /// The endpoint requests to `service` in `region` go to (`--endpoint-url`, variables, regional).
    public func endpointURL(for service: AWSService, region: String) throws -> URL {
        try EndpointResolver.endpoint(
            for: service, region: region, cliEndpoint: endpointOverride, environment: environment)
    }
}
