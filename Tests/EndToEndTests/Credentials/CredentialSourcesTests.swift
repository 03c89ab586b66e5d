import Foundation
import TestSupport
import Testing

/// Every credential source, the way a user runs it: the seed (a stack with a stream) applied,
/// planned and destroyed against moto with IAM authentication on, where only the assumed role
/// may touch Kinesis and CloudFormation. `whoami` must name the same role as the AWS CLI given
/// the same files and variables, and no secret may appear in any output (`--verbose` included).
@Suite("credentials: every source applies the seed as the assumed role", .serialized)
struct CredentialSourcesTests {
    struct Scenario {
        var name: String
        var profileArguments: [String] = []
        var environment: [String: String]
        var secrets: [String]
        /// The source's first call is unsigned (see `CredentialsLab.allowUnauthenticated`).
        var unsignedFirstCall = false
    }

    @Test("assume-role, web identity, credential_process, SSO, container and IMDS each plan, apply and destroy")
    func everySource() async throws {
        let lab = try await blocking { try CredentialsLab() }
        defer { lab.stop() }
        let assumed = lab.assumed
        let ssoToken = "sso-access-token-SECRET"
        let portal = try await RoutingHTTPServer(
            route: CredentialEndpointFakes.identityCenter(
                account: "123456789012", role: "deployer", validAccessTokens: { [ssoToken] },
                refreshToken: "sso-refresh-SECRET", newAccessToken: ssoToken
            ) { assumed })
        let container = try await RoutingHTTPServer(
            route: CredentialEndpointFakes.container(path: "/v2/creds", authorization: "container-auth-SECRET") {
                assumed
            })
        let metadata = try await RoutingHTTPServer(
            route: CredentialEndpointFakes.instanceMetadata(role: "runner", token: "imds-token-SECRET") { assumed })
        defer {
            Task {
                try? await portal.shutdown()
                try? await container.shutdown()
                try? await metadata.shutdown()
            }
        }

        let scenarios = try writeScenarios(
            lab, ssoToken: ssoToken, portal: portal, container: container, metadata: metadata)
        for scenario in scenarios {
            try await Self.check(scenario, lab: lab)
        }
        #expect(portal.requests.contains { $0.uri.hasPrefix("/federation/credentials") })
        #expect(portal.requests.contains { $0.uri == "/token" && $0.body.contains("sso-refresh-SECRET") })
        let cacheName = try Subprocess.python("import hashlib; print(hashlib.sha1(b'corp2').hexdigest())")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let cache = try String(
            contentsOf: lab.home.appendingPathComponent(".aws/sso/cache/\(cacheName).json"), encoding: .utf8)
        #expect(cache.contains(ssoToken) && !cache.contains("expired-access-SECRET"), "the cache was not rewritten")
        #expect(container.requests.contains { $0.headers["authorization"] == "container-auth-SECRET" })
        #expect(metadata.requests.first?.method == "PUT")
    }

    func writeScenarios(
        _ lab: CredentialsLab, ssoToken: String, portal: RoutingHTTPServer, container: RoutingHTTPServer,
        metadata: RoutingHTTPServer
    ) throws -> [Scenario] {
        let base = lab.baseEnvironment
        let assumed = lab.assumed
        try lab.write(
            ".aws/credentials",
            "[base]\naws_access_key_id = \(lab.source.id)\naws_secret_access_key = \(lab.source.secret)\n")
        try lab.write("oidc-token", "web-identity-token-SECRET")
        try lab.write(
            "helper.sh",
            """
            #!/bin/sh
            echo '{"Version": 1, "AccessKeyId": "\(assumed.accessKeyId)", "SecretAccessKey": "\(assumed.secretAccessKey)", \
            "SessionToken": "\(assumed.sessionToken)"}'
            """, mode: 0o700)
        try lab.write(
            ".aws/config",
            """
            [profile deploy]
            role_arn = \(CredentialsLab.roleArn)
            source_profile = base
            role_session_name = reconcile-test

            [profile process]
            credential_process = "\(lab.home.path)/helper.sh" --quiet

            [profile sso]
            sso_session = corp
            sso_account_id = 123456789012
            sso_role_name = deployer

            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = eu-west-1

            [profile sso-expired]
            sso_session = corp2
            sso_account_id = 123456789012
            sso_role_name = deployer

            [sso-session corp2]
            sso_start_url = https://corp2.awsapps.com/start
            sso_region = eu-west-1
            """)
        let expiredCache = try Subprocess.python("import hashlib; print(hashlib.sha1(b'corp2').hexdigest())")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try lab.write(
            ".aws/sso/cache/\(expiredCache).json",
            """
            {"startUrl": "https://corp2.awsapps.com/start", "region": "eu-west-1", "accessToken": "expired-access-SECRET", \
            "expiresAt": "2020-01-01T00:00:00Z", "clientId": "client-1", "clientSecret": "client-SECRET", \
            "registrationExpiresAt": "2099-01-01T00:00:00Z", "refreshToken": "sso-refresh-SECRET"}
            """)
        let cacheName = try Subprocess.python("import hashlib; print(hashlib.sha1(b'corp').hexdigest())")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try lab.write(
            ".aws/sso/cache/\(cacheName).json",
            """
            {"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": "\(ssoToken)", \
            "expiresAt": "2099-01-01T00:00:00Z"}
            """)
        let common = [assumed.secretAccessKey, assumed.sessionToken, lab.source.secret]
        func with(_ extra: [String: String]) -> [String: String] { base.merging(extra) { _, new in new } }
        return [
            Scenario(
                name: "assume-role via source_profile", profileArguments: ["--profile", "deploy"], environment: base,
                secrets: common),
            Scenario(
                name: "web identity from the environment",
                environment: with([
                    "AWS_ROLE_ARN": CredentialsLab.roleArn,
                    "AWS_WEB_IDENTITY_TOKEN_FILE": lab.home.path + "/oidc-token",
                    "AWS_ROLE_SESSION_NAME": "github-actions"
                ]), secrets: common + ["web-identity-token-SECRET"], unsignedFirstCall: true),
            Scenario(
                name: "credential_process", profileArguments: ["--profile", "process"], environment: base,
                secrets: common),
            Scenario(
                name: "IAM Identity Center", profileArguments: ["--profile", "sso"],
                environment: with(["AWS_ENDPOINT_URL_SSO": portal.endpoint]), secrets: common + [ssoToken]),
            Scenario(
                name: "IAM Identity Center with an expired token and a refresh token",
                profileArguments: ["--profile", "sso-expired"],
                environment: with([
                    "AWS_ENDPOINT_URL_SSO": portal.endpoint, "AWS_ENDPOINT_URL_SSO_OIDC": portal.endpoint
                ]),
                secrets: common + [ssoToken, "sso-refresh-SECRET", "client-SECRET", "expired-access-SECRET"]),
            Scenario(
                name: "container credentials",
                environment: with([
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI": container.endpoint + "/v2/creds",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-auth-SECRET"
                ]), secrets: common + ["container-auth-SECRET"]),
            Scenario(
                name: "EC2 instance metadata",
                environment: with([
                    "AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": metadata.endpoint + "/"
                ]), secrets: common + ["imds-token-SECRET"])
        ]
    }

    static func check(_ scenario: Scenario, lab: CredentialsLab) async throws {
        let name = scenario.name
        let environment = scenario.environment
        var outputs: [ProcessResult] = []
        func run(_ arguments: String...) async throws -> ProcessResult {
            let all = arguments + scenario.profileArguments
            let result = try await blocking {
                if scenario.unsignedFirstCall { try lab.allowUnauthenticated(1) }
                return try lab.reconcile(all, environment)
            }
            outputs.append(result)
            return result
        }
        let whoami = try await run("whoami", "--json", "--verbose")
        #expect(whoami.exitCode == 0, "\(name): \(whoami.output)")
        let identity = (try? JSONSerialization.jsonObject(with: Data(whoami.stdout.utf8))) as? [String: Any] ?? [:]
        let arn = identity["arn"] as? String ?? ""
        #expect(arn.hasPrefix("arn:aws:sts::123456789012:assumed-role/deployer/"), "\(name): \(whoami.output)")
        let cli = try await blocking {
            if scenario.unsignedFirstCall { try lab.allowUnauthenticated(1) }
            return try lab.awsCLI(
                ["sts", "get-caller-identity", "--output", "json"] + scenario.profileArguments, environment)
        }
        let cliIdentity = (try? JSONSerialization.jsonObject(with: Data(cli.stdout.utf8))) as? [String: Any] ?? [:]
        #expect(cli.exitCode == 0, "\(name): the AWS CLI: \(cli.output)")
        #expect((cliIdentity["Account"] as? String) == (identity["account"] as? String), "\(name)")
        #expect(
            (cliIdentity["Arn"] as? String ?? "").hasPrefix("arn:aws:sts::123456789012:assumed-role/deployer/"),
            "\(name)")

        let apply = try await run("apply", "--auto-approve", "--verbose", ".")
        #expect(apply.exitCode == 0, "\(name): \(apply.output)")
        #expect(try await blocking { try lab.liveStacks() } == ["xyz-infra-kinesis"], "\(name)")
        let plan = try await run("plan", "--detailed-exitcode", ".")
        #expect(plan.exitCode == 0, "\(name): \(plan.output)")
        let destroy = try await run("destroy", "--auto-approve", "--verbose", ".")
        #expect(destroy.exitCode == 0, "\(name): \(destroy.output)")
        #expect(try await blocking { try lab.liveStacks() }.isEmpty, "\(name)")
        for result in outputs {
            for secret in scenario.secrets {
                #expect(!result.output.contains(secret), "\(name): a secret appeared in the output")
            }
        }
    }

    @Test("the source keys alone cannot apply: moto's IAM really checks which key signed")
    func sourceKeysAreRefused() async throws {
        let lab = try await blocking { try CredentialsLab() }
        defer { lab.stop() }
        var environment = lab.baseEnvironment
        environment["AWS_ACCESS_KEY_ID"] = lab.source.id
        environment["AWS_SECRET_ACCESS_KEY"] = lab.source.secret
        let sourceOnly = environment
        let result = try await blocking { try lab.reconcile(["apply", "--auto-approve", "."], sourceOnly) }
        #expect(result.exitCode == 1)
        #expect(result.output.contains("AccessDenied"), "\(result.output)")
        #expect(!result.output.contains(lab.source.secret))
    }
}
