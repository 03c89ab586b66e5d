import AWSSigV4
import Foundation

/// What credential providers share in one run: the variables, the shared files, the HTTP
/// connections (with the CA bundle and proxies), the retry policy and the region STS is called in.
final class CredentialContext: Sendable {
    let environment: AWSEnvironment
    let profiles: SharedProfiles
    let transport: HTTPTransport
    let retryPolicy: RetryPolicy
    let observer: (@Sendable (AWSRequestEvent) -> Void)?
    /// The region of STS calls: the run's default region, else us-east-1 (botocore's global default).
    let stsRegion: String
    let clock: @Sendable () -> Date
    let mfaPrompter: MFAPrompter

    init(
        environment: AWSEnvironment, profiles: SharedProfiles, transport: HTTPTransport, retryPolicy: RetryPolicy,
        observer: (@Sendable (AWSRequestEvent) -> Void)?, stsRegion: String,
        clock: @escaping @Sendable () -> Date = { Date() }, mfaPrompter: MFAPrompter = .terminal
    ) {
        self.environment = environment
        self.profiles = profiles
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.observer = observer
        self.stsRegion = stsRegion
        self.clock = clock
        self.mfaPrompter = mfaPrompter
    }

    /// An STS client signing with `provider` (unsigned when nil), at `AWS_ENDPOINT_URL_STS`,
    /// `AWS_ENDPOINT_URL` or the regional endpoint; `--endpoint-url` is for the services only.
    func sts(signedWith provider: RefreshingCredentials?) throws -> STSClient {
        let client = AWSClient(
            provider: provider, profile: nil, environment: environment, transport: transport, ownsTransport: false,
            endpointOverride: nil, retryPolicy: retryPolicy, rateLimits: nil, requestTimeout: .seconds(30),
            observer: observer, signingClock: clock)
        return try client.sts(region: stsRegion)
    }

    /// An endpoint from `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`, else `fallback`.
    func endpoint(variable: String, fallback: String) throws -> URL {
        let text = environment[variable] ?? environment["AWS_ENDPOINT_URL"] ?? fallback
        guard let url = URL(string: text), url.host != nil else {
            throw EndpointError.invalidURL(text, source: environment[variable] != nil ? variable : "AWS_ENDPOINT_URL")
        }
        return url
    }
}

/// Asks for an MFA code for `mfa_serial`. On a terminal it prompts on stderr and reads the code;
/// without one it fails with a clear error (a pipeline cannot answer).
struct MFAPrompter: Sendable {
    let ask: @Sendable (_ serial: String, _ profile: String) throws -> String

    static let terminal = MFAPrompter { serial, profile in
        guard isatty(STDIN_FILENO) != 0 else {
            throw CredentialProviderError(
                source: "profile '\(profile)' (mfa_serial \(serial))",
                reason: "the role needs an MFA code and there is no terminal to ask for it",
                fix: "run reconcile from a terminal, or use a profile without mfa_serial in pipelines")
        }
        FileHandle.standardError.write(Data("Enter MFA code for \(serial): ".utf8))
        guard let code = readWithoutEcho()?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
            throw CredentialProviderError(
                source: "profile '\(profile)' (mfa_serial \(serial))", reason: "no MFA code was entered",
                fix: "enter the 6-digit code from the MFA device")
        }
        return code
    }

    /// One line from the terminal with echo off, as Python's `getpass` (which the AWS CLI uses) reads it.
    private static func readWithoutEcho() -> String? {
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return readLine(strippingNewline: true) }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}
