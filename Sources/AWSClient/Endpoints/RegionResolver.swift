/// Why no region could be determined.
public enum RegionError: Error, Sendable, Equatable, CustomStringConvertible {
    case noRegion(profile: String, configFile: String?)

    public var description: String {
        switch self {
        case .noRegion(let profile, let configFile):
            let place = configFile.map { "profile '\(profile)' in \($0)" } ?? "profile '\(profile)' (HOME is not set)"
            return
                "No AWS region: set metadata.region in the manifest, --region, AWS_REGION or AWS_DEFAULT_REGION, or a region in \(place)."
        }
    }
}

/// Picks the region: the manifest's `metadata.region`, `--region`, `AWS_REGION`,
/// `AWS_DEFAULT_REGION`, then the profile's `region` setting.
public enum RegionResolver {
    public static func resolve(declared: String?, cliRegion: String?, profile: String?, environment: AWSEnvironment)
        throws -> String
    {
        for candidate in [declared, cliRegion, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]] {
            if let candidate, !candidate.isEmpty { return candidate }
        }
        let profileName = [profile, environment["AWS_PROFILE"]].compactMap { $0 }.first { !$0.isEmpty } ?? "default"
        if let region = CredentialsResolver.profileSettings(profileName, environment: environment)?["region"],
            !region.isEmpty
        {
            return region
        }
        throw RegionError.noRegion(profile: profileName, configFile: environment.configFile)
    }
}
