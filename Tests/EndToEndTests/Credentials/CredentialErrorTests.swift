import Foundation
import TestSupport
import Testing

/// Misconfigured or failing credential sources: exit 1 with one message naming the source and the
/// fix, no AWS write, no secret — and the AWS CLI fails on the same files and variables too.
@Suite("credentials: bad configuration and refused sources are clear errors")
struct CredentialErrorTests {
    struct Case: Sendable {
        var name: String
        var config: String
        var credentials = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-SECRET-key\n"
        var arguments: [String] = []
        var environment: [String: String] = [:]
        var expected: [String]
    }

    static let cases: [Case] = [
        Case(
            name: "unknown credential_source",
            config: "[profile p]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Ec2Metadata\n",
            arguments: ["--profile", "p"], expected: ["profile 'p'", "'Ec2Metadata' is not valid", "EcsContainer"]),
        Case(
            name: "missing source_profile",
            config: "[profile p]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = gone\n",
            arguments: ["--profile", "p"], expected: ["source_profile 'gone' does not exist"]),
        Case(
            name: "source_profile cycle",
            config: """
                [profile a]
                role_arn = arn:aws:iam::123456789012:role/a
                source_profile = b
                [profile b]
                role_arn = arn:aws:iam::123456789012:role/b
                source_profile = a
                """,
            arguments: ["--profile", "a"], expected: ["cycle", "a → b → a"]),
        Case(
            name: "malformed config line", config: "[profile p]\nregion = eu-west-1\nnot a setting\n",
            arguments: ["--profile", "p"], expected: ["config:3", "not a setting"]),
        Case(
            name: "unreadable web identity token file", config: "",
            environment: [
                "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci",
                "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token"
            ],
            expected: ["web identity", "/nonexistent/token", "AWS_WEB_IDENTITY_TOKEN_FILE"]),
        Case(
            name: "missing profile", config: "[profile other]\nregion = eu-west-1\n",
            arguments: ["--profile", "absent"],
            expected: ["'absent' was not found"]),
        Case(
            name: "failing credential_process",
            config: "[profile p]\ncredential_process = /bin/sh -c \"echo 'login required for p' >&2; exit 4\"\n",
            arguments: ["--profile", "p"], expected: ["credential_process", "status 4", "login required for p"]),
        Case(
            name: "mfa_serial without a terminal",
            config: """
                [profile m]
                role_arn = arn:aws:iam::123456789012:role/r
                source_profile = base
                mfa_serial = arn:aws:iam::123456789012:mfa/alice
                """,
            arguments: ["--profile", "m"], expected: ["mfa_serial", "no terminal"]),
        Case(
            name: "expired SSO login",
            config: """
                [profile s]
                sso_session = corp
                sso_account_id = 123456789012
                sso_role_name = deployer
                [sso-session corp]
                sso_start_url = https://corp.awsapps.com/start
                sso_region = eu-west-1
                """,
            arguments: ["--profile", "s"], expected: ["aws sso login --profile s"])
    ]

    @Test("each misconfiguration exits 1 with one message naming the source and the fix", arguments: cases)
    func misconfiguration(_ item: Case) throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "reconcile-badcreds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try item.config.write(to: home.appendingPathComponent(".aws/config"), atomically: true, encoding: .utf8)
        try item.credentials.write(
            to: home.appendingPathComponent(".aws/credentials"), atomically: true, encoding: .utf8)
        try validStreamManifest.write(to: home.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        var environment = [
            "HOME": home.path, "AWS_CONFIG_FILE": home.path + "/.aws/config",
            "AWS_SHARED_CREDENTIALS_FILE": home.path + "/.aws/credentials", "AWS_ACCESS_KEY_ID": "",
            "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": "", "AWS_REGION": "eu-central-1",
            "AWS_DEFAULT_REGION": "eu-central-1",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1"
        ]
        environment.merge(item.environment) { _, new in new }
        let result = try Subprocess.run(
            PackagePaths.reconcileBinary, ["plan", "."] + item.arguments, environment: environment,
            currentDirectory: home.path)
        #expect(result.exitCode == 1, "\(item.name): \(result.output)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("error: ") == true, "\(item.name): \(result.stderr)")
        for needle in item.expected {
            #expect(result.stderr.contains(needle), "\(item.name): '\(needle)' missing in \(result.stderr)")
        }
        #expect(!result.output.contains("base-SECRET-key"))
        let cli = try Subprocess.run("aws", ["sts", "get-caller-identity"] + item.arguments, environment: environment)
        #expect(cli.exitCode != 0, "\(item.name): the AWS CLI succeeded where reconcile failed: \(cli.output)")
        // It must fail for the same reason, not because nothing listens at the endpoint.
        #expect(!cli.output.contains("Could not connect"), "\(item.name): \(cli.output)")
    }

    @Test("STS refusing AssumeRole is reported with the profile, the role and the service's reason")
    func stsRefusal() async throws {
        let sts = try await RoutingHTTPServer { _ in
            .xmlError(status: 403, code: "AccessDenied", message: "User is not authorized to perform sts:AssumeRole")
        }
        defer { Task { try? await sts.shutdown() } }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "reconcile-sts403-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try "[profile p]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n"
            .write(to: home.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        try "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-SECRET-key\n"
            .write(to: home.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        let environment = [
            "HOME": home.path, "AWS_CONFIG_FILE": home.path + "/config",
            "AWS_SHARED_CREDENTIALS_FILE": home.path + "/credentials",
            "AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "eu-central-1", "AWS_ENDPOINT_URL_STS": sts.endpoint,
            "AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""
        ]
        let result = try await blocking {
            try Subprocess.run(PackagePaths.reconcileBinary, ["whoami", "--profile", "p"], environment: environment)
        }
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("profile 'p'") && result.stderr.contains("AccessDenied"), "\(result.stderr)")
        #expect(result.stderr.contains("trust policy"), "\(result.stderr)")
        #expect(!result.output.contains("base-SECRET-key"))
        let cli = try await blocking {
            try Subprocess.run("aws", ["sts", "get-caller-identity", "--profile", "p"], environment: environment)
        }
        #expect(cli.exitCode != 0)
        #expect(sts.requests.first?.body.contains("Action=AssumeRole") == true)
    }
}

extension CredentialErrorTests.Case: CustomTestStringConvertible {
    var testDescription: String { name }
}
