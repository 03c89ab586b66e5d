import Foundation
import TestSupport
import Testing

/// The failure paths of every token-bearing source, with `--verbose`: refused web identity,
/// SSO portal and refresh refusals, a container endpoint that rejects its token, and a
/// credential_process that prints secrets in malformed JSON. The error names the source; the
/// output holds none of the tokens.
@Suite("credentials: failing sources print no token, --verbose included")
struct CredentialSecretsTests {
    static let tokens = [
        "web-identity-TOKEN-1", "sso-access-TOKEN-2", "sso-refresh-TOKEN-3", "sso-client-SECRET-4",
        "container-auth-TOKEN-5", "process-SECRET-6"
    ]

    @Test("refused web identity, SSO, container and credential_process runs show no token")
    func failuresShowNoToken() async throws {
        let refusing = try await RoutingHTTPServer { request in
            if request.body.contains("Action=AssumeRoleWithWebIdentity") {
                return .xmlError(status: 400, code: "InvalidIdentityToken", message: "Token is expired")
            }
            if request.uri == "/token" { return .respond(status: 400, body: #"{"error":"invalid_grant"}"#) }
            if request.uri.hasPrefix("/federation/credentials") {
                return .respond(status: 403, body: #"{"message":"No access"}"#)
            }
            return .respond(status: 401)
        }
        defer { Task { try? await refusing.shutdown() } }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "reconcile-secrets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        try Self.writeFiles(home)
        let base = [
            "HOME": home.path, "AWS_CONFIG_FILE": home.path + "/.aws/config",
            "AWS_SHARED_CREDENTIALS_FILE": home.path + "/.aws/credentials", "AWS_REGION": "eu-central-1",
            "AWS_ENDPOINT_URL": refusing.endpoint, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1"
        ]
        let runs: [(name: String, arguments: [String], extra: [String: String], expected: String)] = [
            (
                "web identity", [],
                [
                    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci",
                    "AWS_WEB_IDENTITY_TOKEN_FILE": home.path + "/token"
                ], "InvalidIdentityToken"
            ),
            ("SSO portal", ["--profile", "sso"], [:], "HTTP 403"),
            ("SSO refresh", ["--profile", "sso-expired"], [:], "aws sso login --profile sso-expired"),
            (
                "container", [],
                [
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI": refusing.endpoint + "/creds",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-auth-TOKEN-5"
                ], "HTTP 401"
            ),
            ("credential_process", ["--profile", "process"], [:], "did not print JSON")
        ]
        for run in runs {
            let environment = base.merging(run.extra) { $1 }
            let result = try await blocking {
                try Subprocess.run(
                    PackagePaths.reconcileBinary, ["whoami", "--verbose"] + run.arguments, environment: environment)
            }
            #expect(result.exitCode == 1, "\(run.name): \(result.output)")
            #expect(result.stderr.contains(run.expected), "\(run.name): \(result.stderr)")
            for token in Self.tokens {
                #expect(!result.output.contains(token), "\(run.name): '\(token)' in \(result.output)")
            }
        }
    }

    static func writeFiles(_ home: URL) throws {
        func write(_ path: String, _ text: String, mode: Int = 0o600) throws {
            let url = home.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        }
        try write("token", "web-identity-TOKEN-1")
        try write(
            "helper.sh", "#!/bin/sh\necho '{\"Version\": 1, \"SecretAccessKey\": \"process-SECRET-6\"'\n", mode: 0o700)
        try write(".aws/credentials", "")
        try write(
            ".aws/config",
            """
            [profile sso]
            sso_session = corp
            sso_account_id = 123456789012
            sso_role_name = deployer
            [profile sso-expired]
            sso_session = corp2
            sso_account_id = 123456789012
            sso_role_name = deployer
            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = eu-west-1
            [sso-session corp2]
            sso_start_url = https://corp2.awsapps.com/start
            sso_region = eu-west-1
            [profile process]
            credential_process = \(home.path)/helper.sh
            """)
        for (session, expiry) in [("corp", "2099-01-01T00:00:00Z"), ("corp2", "2020-01-01T00:00:00Z")] {
            let name = try Subprocess.python("import hashlib; print(hashlib.sha1(b'\(session)').hexdigest())")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try write(
                ".aws/sso/cache/\(name).json",
                """
                {"startUrl": "https://\(session).awsapps.com/start", "region": "eu-west-1", \
                "accessToken": "sso-access-TOKEN-2", "expiresAt": "\(expiry)", "clientId": "c", \
                "clientSecret": "sso-client-SECRET-4", "registrationExpiresAt": "2099-01-01T00:00:00Z", \
                "refreshToken": "sso-refresh-TOKEN-3"}
                """)
        }
    }
}
