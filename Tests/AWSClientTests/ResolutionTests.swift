import AWSClient
import AWSSigV4
import Foundation
import Testing

/// A temporary HOME with optional `~/.aws/credentials` and `~/.aws/config`.
struct TemporaryHome {
    let path: String

    init(credentials: String? = nil, config: String? = nil) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("aws-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
        if let credentials {
            try credentials.write(toFile: path + "/.aws/credentials", atomically: true, encoding: .utf8)
        }
        if let config { try config.write(toFile: path + "/.aws/config", atomically: true, encoding: .utf8) }
    }

    func environment(_ extra: [String: String] = [:]) -> AWSEnvironment {
        AWSEnvironment(["HOME": path].merging(extra) { _, new in new })
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

let sampleCredentialsFile = """
    [default]
    aws_access_key_id = DEFAULTKEY
    aws_secret_access_key = defaultsecret

    [dev]
    aws_access_key_id=DEVKEY
    aws_secret_access_key=devsecret
    aws_session_token = devtoken

    [both]
    aws_access_key_id = FROMCREDENTIALS
    aws_secret_access_key = credsecret
    """

let sampleConfigFile = """
    [default]
    region = eu-west-1

    [profile dev]
    region = us-west-2

    [profile configonly]
    aws_access_key_id = CONFIGKEY
    aws_secret_access_key = configsecret
    region = ap-southeast-2

    [profile both]
    aws_access_key_id = FROMCONFIG
    aws_secret_access_key = configsecret
    region = sa-east-1

    # a comment
    [profile noregion]
    output = json
    """

@Suite("Credentials are found in the documented order")
struct CredentialsResolutionTests {
    @Test("environment keys are used when no profile is asked for, with the session token")
    func environmentKeys() throws {
        let home = try TemporaryHome(credentials: sampleCredentialsFile)
        defer { home.remove() }
        let credentials = try CredentialsResolver.resolve(
            profile: nil,
            environment: home.environment([
                "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "envtoken"
            ]))
        #expect(
            credentials == Credentials(accessKeyId: "ENVKEY", secretAccessKey: "envsecret", sessionToken: "envtoken"))
    }

    @Test("an explicit --profile wins over environment keys")
    func explicitProfileBeatsEnvironment() throws {
        let home = try TemporaryHome(credentials: sampleCredentialsFile)
        defer { home.remove() }
        let credentials = try CredentialsResolver.resolve(
            profile: "dev",
            environment: home.environment(["AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "envsecret"]))
        #expect(
            credentials == Credentials(accessKeyId: "DEVKEY", secretAccessKey: "devsecret", sessionToken: "devtoken"))
    }

    @Test("environment keys win over AWS_PROFILE")
    func environmentBeatsAWSProfile() throws {
        let home = try TemporaryHome(credentials: sampleCredentialsFile)
        defer { home.remove() }
        let credentials = try CredentialsResolver.resolve(
            profile: nil,
            environment: home.environment([
                "AWS_PROFILE": "dev", "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "envsecret"
            ]))
        #expect(credentials.accessKeyId == "ENVKEY")
    }

    @Test("AWS_PROFILE picks the profile when no keys are in the environment")
    func awsProfileVariable() throws {
        let home = try TemporaryHome(credentials: sampleCredentialsFile)
        defer { home.remove() }
        let credentials = try CredentialsResolver.resolve(
            profile: nil, environment: home.environment(["AWS_PROFILE": "dev"]))
        #expect(credentials.accessKeyId == "DEVKEY")
    }

    @Test("empty variables count as unset")
    func emptyVariablesAreUnset() throws {
        let home = try TemporaryHome(credentials: sampleCredentialsFile)
        defer { home.remove() }
        let credentials = try CredentialsResolver.resolve(
            profile: "",
            environment: home.environment([
                "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": ""
            ]))
        #expect(credentials == Credentials(accessKeyId: "DEFAULTKEY", secretAccessKey: "defaultsecret"))
        let withEmptyToken = try CredentialsResolver.resolve(
            profile: nil,
            environment: home.environment([
                "AWS_ACCESS_KEY_ID": "K", "AWS_SECRET_ACCESS_KEY": "S", "AWS_SESSION_TOKEN": ""
            ]))
        #expect(withEmptyToken.sessionToken == nil)
    }

    @Test("the default profile is read from the credentials file under HOME")
    func defaultProfile() throws {
        let home = try TemporaryHome(credentials: sampleCredentialsFile)
        defer { home.remove() }
        #expect(
            try CredentialsResolver.resolve(profile: nil, environment: home.environment()).accessKeyId == "DEFAULTKEY")
    }

    @Test("keys in the config file's [profile name] section are used")
    func configFileProfile() throws {
        let home = try TemporaryHome(credentials: sampleCredentialsFile, config: sampleConfigFile)
        defer { home.remove() }
        #expect(
            try CredentialsResolver.resolve(profile: "configonly", environment: home.environment()).accessKeyId
                == "CONFIGKEY")
    }

    @Test("the credentials file wins over the config file for the same profile")
    func credentialsFileWins() throws {
        let home = try TemporaryHome(credentials: sampleCredentialsFile, config: sampleConfigFile)
        defer { home.remove() }
        let credentials = try CredentialsResolver.resolve(profile: "both", environment: home.environment())
        #expect(credentials == Credentials(accessKeyId: "FROMCREDENTIALS", secretAccessKey: "credsecret"))
    }

    @Test("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE replace the default paths")
    func overriddenPaths() throws {
        let elsewhere = try TemporaryHome(
            credentials: "[x]\naws_access_key_id = OTHER\naws_secret_access_key = s\n",
            config: "[profile y]\naws_access_key_id = CFG\naws_secret_access_key = s\n")
        let home = try TemporaryHome(credentials: sampleCredentialsFile, config: sampleConfigFile)
        defer {
            home.remove()
            elsewhere.remove()
        }
        let environment = home.environment([
            "AWS_SHARED_CREDENTIALS_FILE": elsewhere.path + "/.aws/credentials",
            "AWS_CONFIG_FILE": elsewhere.path + "/.aws/config"
        ])
        #expect(try CredentialsResolver.resolve(profile: "x", environment: environment).accessKeyId == "OTHER")
        #expect(try CredentialsResolver.resolve(profile: "y", environment: environment).accessKeyId == "CFG")
        #expect(throws: CredentialsError.self) {
            try CredentialsResolver.resolve(profile: "dev", environment: environment)
        }
    }

    @Test("a missing profile is one sentence naming the files searched")
    func missingProfile() throws {
        let home = try TemporaryHome(credentials: sampleCredentialsFile, config: sampleConfigFile)
        defer { home.remove() }
        let error = try #require(throws: CredentialsError.self) {
            try CredentialsResolver.resolve(profile: "nope", environment: home.environment())
        }
        let text = String(describing: error)
        #expect(text.contains("'nope'"))
        #expect(text.contains(home.path + "/.aws/credentials"))
        #expect(text.contains(home.path + "/.aws/config"))
        #expect(text.hasSuffix("."))
    }

    @Test("no credentials anywhere is a clear error that says where it looked")
    func noCredentials() throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        let error = try #require(throws: CredentialsError.self) {
            try CredentialsResolver.resolve(profile: nil, environment: home.environment())
        }
        #expect(String(describing: error).contains("AWS_ACCESS_KEY_ID"))
        #expect(String(describing: error).contains(home.path + "/.aws/credentials"))
    }

    @Test("a profile without keys is reported as such")
    func profileWithoutKeys() throws {
        let home = try TemporaryHome(config: sampleConfigFile)
        defer { home.remove() }
        let error = try #require(throws: CredentialsError.self) {
            try CredentialsResolver.resolve(profile: "noregion", environment: home.environment())
        }
        #expect(String(describing: error).contains("no aws_access_key_id"))
    }
}

@Suite("The region follows manifest, flag, environment, profile")
struct RegionResolutionTests {
    @Test(
        "each source wins over the ones after it",
        arguments: [
            ("declared", "cli", "env", "default-env", "declared"),
            (nil, "cli", "env", "default-env", "cli"),
            (nil, nil, "env", "default-env", "env"),
            (nil, nil, nil, "default-env", "default-env"),
            (nil, nil, "", "", "eu-west-1"),
            (nil, "", nil, nil, "eu-west-1")
        ] as [(String?, String?, String?, String?, String)])
    func precedence(declared: String?, cli: String?, region: String?, defaultRegion: String?, expected: String) throws {
        let home = try TemporaryHome(config: sampleConfigFile)
        defer { home.remove() }
        var variables: [String: String] = [:]
        if let region { variables["AWS_REGION"] = region }
        if let defaultRegion { variables["AWS_DEFAULT_REGION"] = defaultRegion }
        let resolved = try RegionResolver.resolve(
            declared: declared, cliRegion: cli, profile: nil, environment: home.environment(variables))
        #expect(resolved == expected)
    }

    @Test("the profile's region comes from --profile, else AWS_PROFILE")
    func profileRegion() throws {
        let home = try TemporaryHome(config: sampleConfigFile)
        defer { home.remove() }
        #expect(
            try RegionResolver.resolve(declared: nil, cliRegion: nil, profile: "dev", environment: home.environment())
                == "us-west-2")
        #expect(
            try RegionResolver.resolve(
                declared: nil, cliRegion: nil, profile: nil,
                environment: home.environment(["AWS_PROFILE": "configonly"]))
                == "ap-southeast-2")
        #expect(
            try RegionResolver.resolve(
                declared: nil, cliRegion: nil, profile: "dev",
                environment: home.environment(["AWS_PROFILE": "configonly"]))
                == "us-west-2")
    }

    @Test("no region anywhere is a clear error")
    func noRegion() throws {
        let home = try TemporaryHome(config: sampleConfigFile)
        defer { home.remove() }
        let error = try #require(throws: RegionError.self) {
            try RegionResolver.resolve(
                declared: nil, cliRegion: nil, profile: "noregion", environment: home.environment())
        }
        let text = String(describing: error)
        #expect(text.contains("--region") && text.contains("AWS_REGION") && text.contains("'noregion'"))
    }
}

@Suite("Endpoints follow flag, service variable, global variable, regional default")
struct EndpointResolutionTests {
    let everything = AWSEnvironment([
        "AWS_ENDPOINT_URL_KINESIS": "http://kinesis.local:1", "AWS_ENDPOINT_URL_CLOUDFORMATION": "http://cfn.local:2",
        "AWS_ENDPOINT_URL_STS": "http://sts.local:3", "AWS_ENDPOINT_URL": "http://all.local:4"
    ])

    @Test("--endpoint-url wins over every variable")
    func flagWins() throws {
        for service in AWSService.allCases {
            let url = try EndpointResolver.endpoint(
                for: service, region: "eu-central-1", cliEndpoint: "http://flag:9", environment: everything)
            #expect(url.absoluteString == "http://flag:9")
        }
    }

    @Test("the service's own variable wins over AWS_ENDPOINT_URL")
    func serviceVariable() throws {
        #expect(
            try EndpointResolver.endpoint(for: .kinesis, region: "x", cliEndpoint: nil, environment: everything)
                .absoluteString == "http://kinesis.local:1")
        #expect(
            try EndpointResolver.endpoint(for: .cloudformation, region: "x", cliEndpoint: nil, environment: everything)
                .absoluteString == "http://cfn.local:2")
        #expect(
            try EndpointResolver.endpoint(for: .sts, region: "x", cliEndpoint: nil, environment: everything)
                .absoluteString == "http://sts.local:3")
    }

    @Test("AWS_ENDPOINT_URL applies to every service; empty values count as unset")
    func globalVariable() throws {
        let environment = AWSEnvironment(["AWS_ENDPOINT_URL": "http://all.local:4", "AWS_ENDPOINT_URL_KINESIS": ""])
        #expect(
            try EndpointResolver.endpoint(for: .kinesis, region: "x", cliEndpoint: "", environment: environment)
                .absoluteString == "http://all.local:4")
    }

    @Test("without overrides the regional AWS endpoint is used, .com.cn in China")
    func regionalDefaults() throws {
        let empty = AWSEnvironment([:])
        #expect(
            try EndpointResolver.endpoint(for: .kinesis, region: "eu-central-1", cliEndpoint: nil, environment: empty)
                .absoluteString == "https://kinesis.eu-central-1.amazonaws.com")
        #expect(
            try EndpointResolver.endpoint(
                for: .cloudformation, region: "us-east-1", cliEndpoint: nil, environment: empty
            ).absoluteString == "https://cloudformation.us-east-1.amazonaws.com")
        #expect(
            try EndpointResolver.endpoint(for: .sts, region: "us-east-1", cliEndpoint: nil, environment: empty)
                .absoluteString == "https://sts.us-east-1.amazonaws.com")
        #expect(
            try EndpointResolver.endpoint(for: .kinesis, region: "cn-north-1", cliEndpoint: nil, environment: empty)
                .absoluteString == "https://kinesis.cn-north-1.amazonaws.com.cn")
    }

    @Test("a malformed endpoint URL is rejected with its source")
    func malformed() throws {
        let error = try #require(throws: EndpointError.self) {
            try EndpointResolver.endpoint(
                for: .kinesis, region: "x", cliEndpoint: "not a url", environment: AWSEnvironment([:]))
        }
        #expect(String(describing: error).contains("--endpoint-url"))
    }
}

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("AWS_MAX_ATTEMPTS overrides the caller's default; junk and empty values are ignored")
    func maxAttempts() {
        #expect(RetryPolicy.standard(environment: AWSEnvironment([:])).maxAttempts == 3)
        #expect(RetryPolicy.standard(environment: AWSEnvironment([:]), defaultMaxAttempts: 8).maxAttempts == 8)
        #expect(
            RetryPolicy.standard(environment: AWSEnvironment(["AWS_MAX_ATTEMPTS": "5"]), defaultMaxAttempts: 8)
                .maxAttempts == 5)
        #expect(
            RetryPolicy.standard(environment: AWSEnvironment(["AWS_MAX_ATTEMPTS": ""]), defaultMaxAttempts: 8)
                .maxAttempts == 8)
        #expect(RetryPolicy.standard(environment: AWSEnvironment(["AWS_MAX_ATTEMPTS": "many"])).maxAttempts == 3)
    }

    @Test("backoff is full jitter under an exponential ceiling capped at 20 s")
    func backoffBounds() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxDelay: .seconds(60))
        #expect(policy.maxDelay == .seconds(20))
        #expect(policy.delayCeiling(afterAttempt: 1) == .seconds(1))
        #expect(policy.delayCeiling(afterAttempt: 3) == .seconds(4))
        #expect(policy.delayCeiling(afterAttempt: 9) == .seconds(20))
        for attempt in 1...12 {
            for _ in 0..<50 {
                let delay = policy.delay(afterAttempt: attempt)
                #expect(delay >= .zero && delay <= policy.delayCeiling(afterAttempt: attempt))
            }
        }
    }
}
