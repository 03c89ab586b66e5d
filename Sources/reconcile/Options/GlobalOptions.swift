import ArgumentParser
import ReconcileKit

/// The options every command takes (SPEC 3).
struct GlobalOptions: ParsableArguments {
    @Option(help: "AWS region for resources without metadata.region.")
    var region: String?

    @Option(help: "Named profile from ~/.aws/credentials and ~/.aws/config.")
    var profile: String?

    @Option(name: .customLong("endpoint-url"), help: "Send every AWS request to this URL (e.g. a local emulator).")
    var endpointURL: String?

    @Option(help: "Project name for the reconcile:project ownership tag (default: $RECONCILE_PROJECT, else 'default').")
    var project: String?

    @Option(
        name: .customLong("rate-limits"),
        help: """
            Client-side request rates: 'aws' (AWS's documented per-account Kinesis quotas) or 'off'. \
            Default: 'off' when every endpoint is on this machine (an emulator), else 'aws'.
            """)
    var rateLimits: RateLimitMode?

    @Flag(name: .customLong("no-color"), help: "Never colour the output (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .shortAndLong, help: "Show every AWS request (secrets are never shown).")
    var verbose = false
}

/// Manifest files or folders; default ./manifests if it exists, else the current folder.
struct ManifestPaths: ParsableArguments {
    @Argument(help: "Manifest files or folders (default: ./manifests if it exists, else .).")
    var paths: [String] = []
}
