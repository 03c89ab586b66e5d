import Foundation

/// The process environment, injected so that resolution is testable and never reads globals.
///
/// Empty values count as unset everywhere (`AWS_PROFILE=` behaves as if it were absent).
public struct AWSEnvironment: Sendable {
    public var variables: [String: String]

    public init(_ variables: [String: String]) {
        self.variables = variables
    }

    /// The value of `name`, or nil when it is absent or empty.
    public subscript(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// The user's home folder, from `HOME` in the injected variables.
    public var home: String? { self["HOME"] }

    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`; nil when neither can be formed.
    public var sharedCredentialsFile: String? {
        self["AWS_SHARED_CREDENTIALS_FILE"].map(expandTilde) ?? home.map { "\($0)/.aws/credentials" }
    }

    /// `AWS_CONFIG_FILE`, else `~/.aws/config`; nil when neither can be formed.
    public var configFile: String? {
        self["AWS_CONFIG_FILE"].map(expandTilde) ?? home.map { "\($0)/.aws/config" }
    }

    private func expandTilde(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home else { return path }
        return home + path.dropFirst()
    }
}
