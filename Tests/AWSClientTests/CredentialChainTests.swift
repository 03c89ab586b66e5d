import Foundation
import TestSupport
import Testing

@testable import AWSClient

/// Resolves the chain for a temporary HOME; the transport is never used by resolution itself.
func resolveChain(
    _ home: TemporaryHome, profile: String? = nil, _ variables: [String: String] = [:]
) throws
    -> any CredentialProvider
{
    let environment = home.environment(variables)
    let client = try AWSClient.resolving(
        profile: profile, cliRegion: "eu-central-1", environment: environment,
        retryPolicy: RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1)))
    defer { Task { try? await client.shutdown() } }
    let context = CredentialContext(
        environment: environment, profiles: try SharedProfiles(environment: environment), transport: client.transport,
        retryPolicy: client.retryPolicy, observer: nil, stsRegion: "eu-central-1")
    return try CredentialChain.resolve(explicitProfile: profile, context: context)
}

func chainError(_ home: TemporaryHome, profile: String? = nil, _ variables: [String: String] = [:]) -> String {
    do {
        _ = try resolveChain(home, profile: profile, variables)
        return ""
    } catch {
        return String(describing: error)
    }
}

@Suite("credential chain: which source botocore's order picks")
struct CredentialChainTests {
    static let config = """
        [profile base]
        region = eu-west-1

        [profile deploy]
        role_arn = arn:aws:iam::123456789012:role/deployer
        source_profile = base
        external_id = ext-1
        role_session_name = my-session
        duration_seconds = 1800

        [profile second]
        role_arn = arn:aws:iam::123456789012:role/second
        source_profile = deploy

        [profile loop-a]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = loop-b

        [profile loop-b]
        role_arn = arn:aws:iam::123456789012:role/b
        source_profile = loop-a

        [profile from-env]
        role_arn = arn:aws:iam::123456789012:role/env
        credential_source = Environment

        [profile bad-source]
        role_arn = arn:aws:iam::123456789012:role/x
        credential_source = Ec2Metadata

        [profile dangling]
        role_arn = arn:aws:iam::123456789012:role/x
        source_profile = nowhere

        [profile oidc]
        role_arn = arn:aws:iam::123456789012:role/ci
        web_identity_token_file = /tmp/token

        [profile sso]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = Deploy
        region = us-east-2

        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = us-east-2

        [profile process]
        credential_process = /usr/local/bin/helper --profile "x y"
        """
    static let credentials = """
        [base]
        aws_access_key_id = BASEKEY
        aws_secret_access_key = basesecret
        """

    func home() throws -> TemporaryHome { try TemporaryHome(credentials: Self.credentials, config: Self.config) }

    @Test("environment keys come first unless --profile is given")
    func environmentFirst() throws {
        let home = try home()
        defer { home.remove() }
        let keys = ["AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "s", "AWS_PROFILE": "deploy"]
        #expect(try resolveChain(home, keys).sourceDescription.hasPrefix("environment"))
        let explicit = try resolveChain(home, profile: "deploy", keys)
        #expect(explicit is AssumeRoleProvider)
    }

    @Test("role_arn with source_profile assumes the role with the source's keys and the profile's settings")
    func assumeRole() throws {
        let home = try home()
        defer { home.remove() }
        let provider = try #require(try resolveChain(home, profile: "deploy") as? AssumeRoleProvider)
        #expect(provider.request.roleArn == "arn:aws:iam::123456789012:role/deployer")
        #expect(provider.request.externalId == "ext-1")
        #expect(provider.request.roleSessionName == "my-session")
        #expect(provider.request.durationSeconds == 1800)
        #expect(provider.source.sourceDescription == "static keys (profile 'base')")
        let chained = try #require(try resolveChain(home, profile: "second") as? AssumeRoleProvider)
        #expect(chained.source.sourceDescription.contains("role/deployer"))
    }

    @Test("a source_profile cycle, a missing source_profile and an unknown credential_source are clear errors")
    func configurationErrors() throws {
        let home = try home()
        defer { home.remove() }
        let cycle = chainError(home, profile: "loop-a")
        #expect(cycle.contains("cycle") && cycle.contains("loop-a → loop-b → loop-a"), "\(cycle)")
        let dangling = chainError(home, profile: "dangling")
        #expect(dangling.contains("source_profile 'nowhere' does not exist"), "\(dangling)")
        let bad = chainError(home, profile: "bad-source")
        #expect(bad.contains("credential_source 'Ec2Metadata' is not valid") && bad.contains("EcsContainer"), "\(bad)")
        let noEnvironment = chainError(home, profile: "from-env")
        #expect(noEnvironment.contains("credential_source Environment"), "\(noEnvironment)")
        let missing = chainError(home, profile: "absent")
        #expect(missing.contains("'absent' was not found"), "\(missing)")
    }

    @Test("credential_source Environment uses the environment keys as the source")
    func credentialSourceEnvironment() throws {
        let home = try home()
        defer { home.remove() }
        let provider = try #require(
            try resolveChain(home, profile: "from-env", ["AWS_ACCESS_KEY_ID": "E", "AWS_SECRET_ACCESS_KEY": "s"])
                as? AssumeRoleProvider)
        #expect(provider.source.sourceDescription.hasPrefix("environment"))
    }

    @Test("web identity from the environment, else from the profile; the environment is ignored with --profile")
    func webIdentity() throws {
        let home = try home()
        defer { home.remove() }
        let variables = [
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/env-ci", "AWS_WEB_IDENTITY_TOKEN_FILE": "/tmp/t"
        ]
        let fromEnvironment = try #require(try resolveChain(home, variables) as? WebIdentityProvider)
        #expect(fromEnvironment.roleArn.hasSuffix("env-ci") && fromEnvironment.tokenFile == "/tmp/t")
        let fromProfile = try #require(try resolveChain(home, profile: "oidc", variables) as? WebIdentityProvider)
        #expect(fromProfile.roleArn.hasSuffix("role/ci") && fromProfile.tokenFile == "/tmp/token")
        // A role profile wins over the variables, and its source profile never reads them (botocore).
        let role = try #require(
            try resolveChain(home, variables.merging(["AWS_PROFILE": "deploy"]) { $1 }) as? AssumeRoleProvider)
        #expect(role.source.sourceDescription == "static keys (profile 'base')")
        let noRole = chainError(home, ["AWS_WEB_IDENTITY_TOKEN_FILE": "/tmp/t"])
        #expect(noRole.contains("set AWS_ROLE_ARN"), "\(noRole)")
    }

    @Test("an sso_session profile reads its [sso-session] section and the AWS CLI's cache file name")
    func sso() throws {
        let home = try home()
        defer { home.remove() }
        let provider = try #require(try resolveChain(home, profile: "sso") as? SSOProvider)
        #expect(provider.settings.startURL == "https://corp.awsapps.com/start")
        #expect(provider.settings.region == "us-east-2" && provider.settings.accountId == "111122223333")
        let expected = try Subprocess.python("import hashlib; print(hashlib.sha1(b'corp').hexdigest())")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(provider.cache.path == "\(home.path)/.aws/sso/cache/\(expected).json")
        let legacy = SSOTokenCache(home: "/h", sessionName: nil, startURL: "https://corp.awsapps.com/start")
        let legacyHash = try Subprocess.python(
            "import hashlib; print(hashlib.sha1(b'https://corp.awsapps.com/start').hexdigest())"
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(legacy.path == "/h/.aws/sso/cache/\(legacyHash).json")
    }

    @Test("credential_process, container and instance metadata are picked in botocore's order")
    func laterSources() throws {
        let home = try home()
        defer { home.remove() }
        #expect(try resolveChain(home, profile: "process") is CredentialProcessProvider)
        let container = try resolveChain(home, ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"])
        #expect(
            (container as? ContainerCredentialProvider)?.url.absoluteString == "http://169.254.170.2/v2/credentials/x")
        let refused = chainError(home, ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"])
        #expect(refused.contains("must use https"), "\(refused)")
        #expect(
            try resolveChain(home, ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/c"])
                is ContainerCredentialProvider)
        #expect(try resolveChain(home) is LastResortProvider)
        let disabled = chainError(home, ["AWS_EC2_METADATA_DISABLED": "true"])
        #expect(disabled.contains("No AWS credentials found"), "\(disabled)")
    }

    @Test("a malformed line in a shared file is an error with the file and line")
    func malformedLine() throws {
        let home = try TemporaryHome(credentials: "[default]\naws_access_key_id = A\nthis line is wrong\n")
        defer { home.remove() }
        let message = chainError(home)
        #expect(message.contains("/.aws/credentials:3") && message.contains("this line is wrong"), "\(message)")
    }

    @Test("credential_process commands split into words as Python's shlex.split does")
    func shellWords() throws {
        let samples = [
            #"/bin/helper --profile "x y" 'a b' c\ d"#, #"cmd "a\"b" 'it''s' "\\n""#, "  spaced   words  ", #"a"b"c"#
        ]
        for sample in samples {
            let python = try Subprocess.python(
                "import shlex, json; print(json.dumps(shlex.split(\(sample.pythonLiteral))))")
            let expected = try JSONSerialization.jsonObject(with: Data(python.utf8)) as? [String]
            #expect(try ShellWords.split(sample) == expected, "\(sample)")
        }
        #expect(throws: CredentialProviderError.self) { try ShellWords.split("open 'quote") }
    }
}

extension String {
    /// A Python string literal holding this text.
    var pythonLiteral: String {
        let data = (try? JSONSerialization.data(withJSONObject: [self])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
