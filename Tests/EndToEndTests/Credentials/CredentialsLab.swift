import Foundation
import TestSupport
import Testing

/// One moto with IAM authentication on, a role `deployer` that may use Kinesis, CloudFormation
/// and GetCallerIdentity, a user `source` that may only assume it, and an admin for checks.
/// Each credential source must end up signing as `deployer` (ASIA… keys) for an apply to pass.
final class CredentialsLab: @unchecked Sendable {
    let moto: MotoServer
    let home: URL
    let workspace: URL
    let source: (id: String, secret: String)
    let admin: (id: String, secret: String)
    /// Temporary `deployer` credentials (for the fakes and credential_process to hand out).
    let assumed: FakeCredentials
    static let roleArn = "arn:aws:iam::123456789012:role/deployer"

    init() throws {
        moto = try MotoServer()
        home = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-creds-\(UUID().uuidString)")
        workspace = home.appendingPathComponent("work")
        try FileManager.default.createDirectory(
            at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        let seed = PackagePaths.root.appendingPathComponent("manifests/xyz-infra-kinesis.yaml")
        try FileManager.default.copyItem(at: seed, to: workspace.appendingPathComponent("xyz-infra-kinesis.yaml"))
        let out = try Subprocess.python(Self.setupScript(moto.endpoint), environment: moto.clientEnvironment)
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [String]])
        let sourceKey = try #require(keys["source"])
        let adminKey = try #require(keys["admin"])
        let assumedKey = try #require(keys["assumed"])
        source = (sourceKey[0], sourceKey[1])
        admin = (adminKey[0], adminKey[1])
        assumed = FakeCredentials(
            accessKeyId: assumedKey[0], secretAccessKey: assumedKey[1], sessionToken: assumedKey[2],
            expiration: Date().addingTimeInterval(3600))
    }

    static func setupScript(_ endpoint: String) -> String {
        """
        import boto3, json, urllib.request
        endpoint = '\(endpoint)'
        def post(path, body=b''):
            request = urllib.request.Request(endpoint + path, data=body, method='POST', headers={'Content-Type': 'text/plain'})
            urllib.request.urlopen(request).read()
        post('/moto-api/reset-auth', b'1000000')
        iam = boto3.client('iam', region_name='us-east-1')
        trust = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': '*'}, 'Action': 'sts:AssumeRole'},
                 {'Effect': 'Allow', 'Principal': {'Federated': 'token.actions.githubusercontent.com'}, 'Action': 'sts:AssumeRoleWithWebIdentity'}]}
        iam.create_role(RoleName='deployer', AssumeRolePolicyDocument=json.dumps(trust))
        allow = lambda actions: json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': actions, 'Resource': '*'}]})
        iam.put_role_policy(RoleName='deployer', PolicyName='deploy', PolicyDocument=allow(['kinesis:*', 'cloudformation:*', 'sts:GetCallerIdentity']))
        keys = {}
        for name, actions in [('source', ['sts:AssumeRole']), ('admin', ['*'])]:
            iam.create_user(UserName=name)
            iam.put_user_policy(UserName=name, PolicyName=name, PolicyDocument=allow(actions))
            key = iam.create_access_key(UserName=name)['AccessKey']
            keys[name] = [key['AccessKeyId'], key['SecretAccessKey']]
        post('/moto-api/reset-auth', b'0')
        sts = boto3.client('sts', aws_access_key_id=keys['source'][0], aws_secret_access_key=keys['source'][1])
        c = sts.assume_role(RoleArn='arn:aws:iam::123456789012:role/deployer', RoleSessionName='fake-endpoints')['Credentials']
        keys['assumed'] = [c['AccessKeyId'], c['SecretAccessKey'], c['SessionToken']]
        print(json.dumps(keys))
        """
    }

    /// Variables of a run with no credentials of its own: the lab's HOME and files, moto as every
    /// endpoint, IMDS off (scenarios turn on what they test).
    var baseEnvironment: [String: String] {
        [
            "HOME": home.path, "AWS_CONFIG_FILE": home.path + "/.aws/config",
            "AWS_SHARED_CREDENTIALS_FILE": home.path + "/.aws/credentials", "AWS_ENDPOINT_URL": moto.endpoint,
            "AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "eu-central-1", "AWS_ACCESS_KEY_ID": "",
            "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_EC2_METADATA_DISABLED": "true",
            "NO_COLOR": "1", "RECONCILE_PROJECT": "", "AWS_MAX_ATTEMPTS": "2"
        ]
    }

    /// Lets the next `count` requests through without IAM checks. moto's IAM check fails with
    /// HTTP 500 on unsigned requests (AssumeRoleWithWebIdentity is unsigned, in the AWS CLI too),
    /// so web identity runs let exactly that one call pass; every later call is still checked.
    func allowUnauthenticated(_ count: Int) throws {
        _ = try Subprocess.python(
            """
            import urllib.request
            urllib.request.urlopen(urllib.request.Request('\(moto.endpoint)/moto-api/reset-auth', data=b'\(count)',
                method='POST', headers={'Content-Type': 'text/plain'})).read()
            """)
    }

    func write(_ relativePath: String, _ text: String, mode: Int = 0o600) throws {
        let url = home.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    func reconcile(_ arguments: [String], _ environment: [String: String]) throws -> ProcessResult {
        try Subprocess.run(
            PackagePaths.reconcileBinary, arguments, environment: environment, currentDirectory: workspace.path)
    }

    func awsCLI(_ arguments: [String], _ environment: [String: String]) throws -> ProcessResult {
        try Subprocess.run("aws", arguments, environment: environment, currentDirectory: workspace.path)
    }

    /// Stacks that exist, as the admin sees them.
    func liveStacks() throws -> [String] {
        var environment = moto.clientEnvironment
        environment["AWS_ACCESS_KEY_ID"] = admin.id
        environment["AWS_SECRET_ACCESS_KEY"] = admin.secret
        let out = try Subprocess.python(
            """
            import boto3, json
            cfn = boto3.client('cloudformation')
            print(json.dumps(sorted(s['StackName'] for s in cfn.describe_stacks()['Stacks'] if s['StackStatus'] != 'DELETE_COMPLETE')))
            """, environment: environment)
        return (try? JSONDecoder().decode([String].self, from: Data(out.utf8))) ?? []
    }

    func stop() {
        moto.stop()
        try? FileManager.default.removeItem(at: home)
    }
}

/// Runs blocking work (child processes) off the cooperative pool.
func blocking<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
