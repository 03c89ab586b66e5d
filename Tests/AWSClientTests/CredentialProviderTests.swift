import AWSSigV4
import Foundation
import TestSupport
import Testing

@testable import AWSClient

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current += seconds } }
    var function: @Sendable () -> Date { { [self] in now } }
}

/// Counts fetches and hands out numbered credentials that expire an hour after "now".
final class CountingProvider: CredentialProvider, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    let clock: ManualClock
    init(clock: ManualClock) { self.clock = clock }

    var sourceDescription: String { "counting" }
    var fetches: Int { lock.withLock { count } }

    func fetch() async throws -> ExpiringCredentials {
        let number = lock.withLock {
            count += 1
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        return ExpiringCredentials(
            Credentials(accessKeyId: "ASIA\(number)", secretAccessKey: "s", sessionToken: "t"),
            expiration: clock.now.addingTimeInterval(3600))
    }
}

/// A context for providers under test, with its own transport.
func makeContext(
    _ variables: [String: String], home: TemporaryHome? = nil, clock: ManualClock? = nil
) throws
    -> (CredentialContext, HTTPTransport)
{
    var all = variables
    if let home { all["HOME"] = home.path }
    let environment = AWSEnvironment(all)
    let transport = HTTPTransport(settings: NetworkSettings(), connectTimeout: .seconds(2))
    let now: @Sendable () -> Date
    if let clock { now = clock.function } else { now = { Foundation.Date() } }
    let context = CredentialContext(
        environment: environment, profiles: try SharedProfiles(environment: environment), transport: transport,
        retryPolicy: RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1)),
        observer: nil, stsRegion: "eu-central-1", clock: now)
    return (context, transport)
}

let fakeKeys = FakeCredentials(
    accessKeyId: "ASIAFAKEKEY", secretAccessKey: "fake-secret", sessionToken: "fake-token",
    expiration: Date().addingTimeInterval(3600))

@Suite("credential providers: refresh, fakes and processes")
struct CredentialProviderTests {
    @Test("requests in flight share one refresh, and credentials are refreshed before they expire")
    func refreshOnceBeforeExpiry() async throws {
        let clock = ManualClock()
        let counting = CountingProvider(clock: clock)
        let refreshing = RefreshingCredentials(counting, margin: 300, clock: clock.function)
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await refreshing.credentials().accessKeyId } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys == ["ASIA1"] && counting.fetches == 1)
        clock.advance(3600 - 301)
        #expect(try await refreshing.credentials().accessKeyId == "ASIA1")
        clock.advance(2)  // inside the 5-minute margin
        #expect(try await refreshing.credentials().accessKeyId == "ASIA2")
        #expect(counting.fetches == 2)
        #expect(await refreshing.fetchCount == 2)
    }

    @Test("IMDSv2: token first, then the role, then its credentials; AWS_EC2_METADATA_SERVICE_ENDPOINT moves it")
    func instanceMetadata() async throws {
        let server = try await RoutingHTTPServer(
            route: CredentialEndpointFakes.instanceMetadata(role: "runner", token: "imds-token") { fakeKeys })
        let (context, transport) = try makeContext(["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.endpoint])
        let provider = try #require(CredentialChain.instanceMetadata(context: context, lastResort: false))
        let fetched = try await provider.fetch()
        #expect(fetched.credentials.accessKeyId == "ASIAFAKEKEY" && fetched.credentials.sessionToken == "fake-token")
        #expect(fetched.expiration != nil)
        #expect(server.requests.map(\.method) == ["PUT", "GET", "GET"])
        try await transport.shutdown()
        try await server.shutdown()
    }

    @Test("container credentials send the token file's content as Authorization")
    func container() async throws {
        let server = try await RoutingHTTPServer(
            route: CredentialEndpointFakes.container(path: "/creds", authorization: "pod-token") { fakeKeys })
        let home = try TemporaryHome()
        defer { home.remove() }
        let tokenFile = home.path + "/token"
        try "pod-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let (context, transport) = try makeContext([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.endpoint + "/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile
        ])
        let provider = try #require(try ContainerCredentialProvider.make(context: context))
        #expect(try await provider.fetch().credentials.accessKeyId == "ASIAFAKEKEY")
        try "wrong".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        await #expect(throws: CredentialProviderError.self) { try await provider.fetch() }
        try await transport.shutdown()
        try await server.shutdown()
    }

    @Test(
        "SSO: an expiring token is refreshed with CreateToken and the cache file rewritten; no refresh token means aws sso login"
    )
    func ssoRefresh() async throws {
        let server = try await RoutingHTTPServer(
            route: CredentialEndpointFakes.identityCenter(
                account: "111122223333", role: "Deploy", validAccessTokens: { ["new-access"] },
                refreshToken: "refresh-1",
                newAccessToken: "new-access"
            ) { fakeKeys })
        let home = try TemporaryHome(
            config: """
                [profile sso]
                sso_session = corp
                sso_account_id = 111122223333
                sso_role_name = Deploy
                [sso-session corp]
                sso_start_url = https://corp.awsapps.com/start
                sso_region = eu-west-1
                """)
        defer { home.remove() }
        let clock = ManualClock(Date())
        let (context, transport) = try makeContext(
            ["AWS_ENDPOINT_URL_SSO": server.endpoint, "AWS_ENDPOINT_URL_SSO_OIDC": server.endpoint], home: home,
            clock: clock)
        let provider = try #require(
            try SSOSettingsReader(
                profile: "sso", settings: context.profiles.profile("sso") ?? [:],
                context: context
            ).provider())
        try FileManager.default.createDirectory(
            atPath: home.path + "/.aws/sso/cache", withIntermediateDirectories: true)
        let expired = SSOTokenCache.format(clock.now.addingTimeInterval(-60))
        let cacheText = """
            {"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": "old-access", \
            "expiresAt": "\(expired)", "clientId": "cid", "clientSecret": "csecret", \
            "registrationExpiresAt": "2099-01-01T00:00:00Z", "refreshToken": "refresh-1"}
            """
        try cacheText.write(toFile: provider.cache.path, atomically: true, encoding: .utf8)
        #expect(try await provider.fetch().credentials.accessKeyId == "ASIAFAKEKEY")
        let rewritten = try #require(provider.cache.load())
        #expect(rewritten.accessToken == "new-access" && rewritten.expiresAt > clock.now)
        #expect(rewritten.fields["clientId"]?.stringValue == "cid" && rewritten.refreshToken == "refresh-1-2")

        let noRefresh = cacheText.replacingOccurrences(of: #", "refreshToken": "refresh-1""#, with: "")
        try noRefresh.write(toFile: provider.cache.path, atomically: true, encoding: .utf8)
        let error = await #expect(throws: CredentialProviderError.self) { try await provider.fetch() }
        #expect(error?.description.contains("aws sso login --profile sso") == true)
        try await transport.shutdown()
        try await server.shutdown()
    }

    @Test("credential_process: Version 1 JSON is read; a failure shows stderr; a hung process times out")
    func credentialProcess() async throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        let script = home.path + "/helper.sh"
        try """
        #!/bin/sh
        if [ "$1" = "fail" ]; then echo "token expired for $2" >&2; exit 3; fi
        if [ "$1" = "hang" ]; then sleep 30; fi
        echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2099-01-01T00:00:00Z"}'
        """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        func provider(_ arguments: String, timeout: Duration = .seconds(10)) -> CredentialProcessProvider {
            CredentialProcessProvider(
                profile: "p", command: "\(script) \(arguments)", timeout: timeout)
        }
        let fetched = try await provider("ok").fetch()
        #expect(fetched.credentials.accessKeyId == "AKIDPROC" && fetched.expiration != nil)
        let failure = await #expect(throws: CredentialProviderError.self) {
            try await provider("fail 'two words'").fetch()
        }
        #expect(failure?.description.contains("status 3") == true)
        #expect(failure?.description.contains("token expired for two words") == true)
        let started = ContinuousClock.now
        let hung = await #expect(throws: CredentialProviderError.self) {
            try await provider("hang", timeout: .seconds(1)).fetch()
        }
        #expect(hung?.description.contains("did not finish") == true)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("NO_PROXY matches hosts, suffixes, IPs, ports and * as curl does")
    func noProxy() throws {
        let rules = NoProxyRules("localhost, .corp.example, example.org,10.0.0.1, 127.0.0.1:4566")
        #expect(rules.bypasses(host: "localhost", port: nil))
        #expect(rules.bypasses(host: "api.corp.example", port: nil) && rules.bypasses(host: "corp.example", port: nil))
        #expect(
            rules.bypasses(host: "www.example.org", port: nil) && !rules.bypasses(host: "badexample.org", port: nil))
        #expect(rules.bypasses(host: "10.0.0.1", port: 443) && !rules.bypasses(host: "10.0.0.2", port: 443))
        #expect(rules.bypasses(host: "127.0.0.1", port: 4566) && !rules.bypasses(host: "127.0.0.1", port: 5000))
        #expect(NoProxyRules("*").bypasses(host: "anything", port: nil))
        let settings = try NetworkSettings(
            environment: AWSEnvironment([
                "https_proxy": "http://user:p%40ss@proxy.local:3128", "HTTP_PROXY": "proxy.local:8080",
                "no_proxy": "internal"
            ]))
        #expect(settings.httpsProxy?.password == "p@ss" && settings.httpsProxy?.port == 3128)
        #expect(!String(describing: settings.httpsProxy).contains("p@ss"))
        #expect(settings.proxy(for: URL(string: "http://kinesis.internal/")!) == nil)
        #expect(settings.proxy(for: URL(string: "http://x/")!)?.port == 8080)
    }
}
