import Formats
import Foundation
import TestSupport
import Testing

/// `reconcile policy` against moto with IAM authentication on: a user holding exactly the
/// printed actions can apply, plan, verify and destroy (including drift fixes and a stack
/// update), and removing any single action makes one of those commands fail with
/// AccessDenied. moto denies resource-scoped statements, so `Resource` becomes `*` here
/// (resource scoping is unit-tested). Exempt from the removal loop, because moto cannot
/// observe them: the Kinesis calls CloudFormation makes on the caller's behalf (moto's
/// CloudFormation calls its Kinesis backend directly) and UpdateTerminationProtection
/// (moto lacks it); and tag:GetResources, whose removal must break nothing (tags are then read
/// per stream).
@Suite("policy: least privilege against moto with IAM on", .serialized)
struct PolicyIAMTests {
    static var fullRun: Bool { ProcessInfo.processInfo.environment["RECONCILE_FULL_POLICY"] == "1" }

    /// Printed, and used when allowed; a plan without it falls back to ListTagsForStream.
    static let bulkTagAction = "tag:GetResources"

    static let examples = ["direct-stream", "fan-out", "kms-metrics", "multi-stack", "on-demand", "pass-through"]

    @Test("the seed: exactly the printed actions suffice, and each one is needed")
    func seed() throws {
        try Self.check(source: "manifests", minimality: true)
    }

    @Test("every example (minimality loop with RECONCILE_FULL_POLICY=1)", arguments: examples)
    func example(_ name: String) throws {
        try Self.check(source: "examples/\(name)", minimality: Self.fullRun)
    }

    static func check(source: String, minimality: Bool) throws {
        let workspace = try Workspace(copying: [source])
        defer { workspace.stop() }
        let printed = try workspace.reconcile("policy", "--account", "123456789012", ".")
        #expect(printed.exitCode == 0, "\(printed.output)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any])
        #expect(document["Version"] as? String == "2012-10-17")
        let statements = try #require(document["Statement"] as? [[String: Any]])
        var onBehalfOfCloudFormation: Set<String> = []
        var needed: Set<String> = []
        for statement in statements {
            let actions = statement["Action"] as? [String] ?? []
            #expect(actions.allSatisfy { !$0.contains("*") }, "wildcard action in \(statement)")
            if (statement["Sid"] as? String ?? "").hasPrefix("CloudFormationCalls") {
                onBehalfOfCloudFormation.formUnion(actions)
            } else {
                needed.formUnion(actions)
            }
        }
        let exempt = onBehalfOfCloudFormation.subtracting(needed).union(["cloudformation:UpdateTerminationProtection"])
        let all = needed.union(exempt)

        let baseline = try Self.runScenario(workspace, allowed: all)
        #expect(baseline == nil, "with every printed action: \(baseline ?? "")")
        guard minimality else { return }
        // tag:GetResources saves calls but is not required: without it, tags are read per stream.
        #expect(needed.contains(Self.bulkTagAction))
        let withoutBulk = try Self.runScenario(workspace, allowed: all.subtracting([Self.bulkTagAction]))
        #expect(withoutBulk == nil, "without \(Self.bulkTagAction): \(withoutBulk ?? "")")
        for action in needed.subtracting(exempt).subtracting([Self.bulkTagAction]).sorted() {
            let failure = try Self.runScenario(workspace, allowed: all.subtracting([action]))
            #expect(failure != nil, "removing \(action) broke nothing: it is not needed")
            if let failure {
                #expect(failure.contains("AccessDenied") && failure.contains(action), "removing \(action): \(failure)")
            }
        }
    }

    /// Runs apply, plan, verify, drift fixes, a stack update and destroy as a user with
    /// exactly `allowed`; returns the first failing command's output, or nil.
    static func runScenario(_ workspace: Workspace, allowed: Set<String>) throws -> String? {
        let keys = try setUpUsers(workspace, allowed: allowed)
        // The proxy re-signs what its fidelity rules change (consumer ARNs) for moto's IAM check.
        try workspace.proxy?.learnCredentials(accessKeyId: keys.admin.id, secretAccessKey: keys.admin.secret)
        let run = try runner(workspace, as: keys)
        let steps: [() throws -> String?] = [
            { try run("apply", "--auto-approve", ".") },
            { try run("plan", ".") },
            { try run("verify", ".") },
            {
                try drift(workspace, keys.admin, round: "above")
                return try run("apply", "--auto-approve", ".")
            },
            {
                try drift(workspace, keys.admin, round: "below")
                return try run("apply", "--auto-approve", ".")
            },
            {
                try drift(workspace, keys.admin, round: "stacks")
                return try run("apply", "--auto-approve", ".")
            },
            { try run("plan", "--detailed-exitcode", ".") },
            { try run("destroy", "--auto-approve", ".") }
        ]
        for step in steps {
            if let failure = try step() { return failure }
        }
        return nil
    }

    struct Key {
        var id: String
        var secret: String
    }

    /// Runs the built binary as the user of `keys` (no retries, so a denied call fails at once);
    /// returns nil on success, else the command and its output.
    static func runner(_ workspace: Workspace, as keys: (user: Key, admin: Key)) throws -> (String...) throws
        -> String?
    {
        try workspace.proxy?.learnCredentials(accessKeyId: keys.user.id, secretAccessKey: keys.user.secret)
        var environment = workspace.environment
        environment["AWS_ACCESS_KEY_ID"] = keys.user.id
        environment["AWS_SECRET_ACCESS_KEY"] = keys.user.secret
        environment["AWS_MAX_ATTEMPTS"] = "1"
        return { (arguments: String...) throws -> String? in
            let result = try Subprocess.run(
                PackagePaths.reconcileBinary, arguments, environment: environment,
                currentDirectory: workspace.directory.path)
            return result.exitCode == 0
                ? nil : "reconcile \(arguments.joined(separator: " ")) exited \(result.exitCode):\n\(result.output)"
        }
    }

    /// Resets moto, creates an admin and a user holding `allowed` (Resource `*`), then
    /// turns IAM authentication on.
    static func setUpUsers(_ workspace: Workspace, allowed: Set<String>) throws -> (user: Key, admin: Key) {
        let policy = try JSONSerialization.data(withJSONObject: [
            "Version": "2012-10-17",
            "Statement": [["Effect": "Allow", "Action": allowed.sorted(), "Resource": "*"]]
        ])
        let out = try Subprocess.python(
            """
            import boto3, json, urllib.request
            endpoint = '\(workspace.moto.endpoint)'
            def post(path, body=b''):
                # moto reads the raw body only when it is not form-encoded (urllib's default type).
                request = urllib.request.Request(endpoint + path, data=body, method='POST', headers={'Content-Type': 'text/plain'})
                urllib.request.urlopen(request).read()
            post('/moto-api/reset')
            post('/moto-api/reset-auth', b'1000000')
            iam = boto3.client('iam', region_name='us-east-1')
            keys = {}
            for name, document in [('reconcile-ci', \(String(decoding: policy, as: UTF8.self).pythonLiteral)),
                                   ('admin', json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}]}))]:
                iam.create_user(UserName=name)
                arn = iam.create_policy(PolicyName=name + '-policy', PolicyDocument=document)['Policy']['Arn']
                iam.attach_user_policy(UserName=name, PolicyArn=arn)
                key = iam.create_access_key(UserName=name)['AccessKey']
                keys[name] = [key['AccessKeyId'], key['SecretAccessKey']]
            post('/moto-api/reset-auth', b'0')
            print(json.dumps(keys))
            """, environment: workspace.moto.clientEnvironment)
        // moto forgot everything: so must the proxy (a consumer name it still held would answer "already
        // registered" to a user who cannot describe consumers to prove otherwise).
        try workspace.proxy?.resetState()
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: [String]])
        let user = try #require(keys["reconcile-ci"])
        let admin = try #require(keys["admin"])
        return (Key(id: user[0], secret: user[1]), Key(id: admin[0], secret: admin[1]))
    }

    /// Changes live state outside reconcile (as the admin), so the next apply must fix it
    /// with direct calls: `above` raises everything, `below` lowers it, `stacks` adds a tag
    /// to every stack (an UpdateStack). Record size, warm throughput and consumer tags, which
    /// moto lacks, change through the proxy's stream_settings rule.
    static func drift(_ workspace: Workspace, _ admin: Key, round: String) throws {
        var environment = workspace.moto.clientEnvironment
        environment["AWS_ACCESS_KEY_ID"] = admin.id
        environment["AWS_SECRET_ACCESS_KEY"] = admin.secret
        _ = try Subprocess.python(
            """
            import boto3
            kinesis = boto3.client('kinesis')
            cfn = boto3.client('cloudformation')
            proxied = boto3.client('kinesis', endpoint_url='\(workspace.endpoint)')
            METRICS = ['IncomingBytes', 'IncomingRecords', 'OutgoingBytes', 'OutgoingRecords',
                       'WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded', 'IteratorAgeMilliseconds']
            round = '\(round)'
            if round == 'stacks':
                for s in cfn.describe_stacks()['Stacks']:
                    if s['StackStatus'] == 'DELETE_COMPLETE':
                        continue
                    body = cfn.get_template(StackName=s['StackName'])['TemplateBody']
                    if not isinstance(body, str):
                        import json; body = json.dumps(body)
                    cfn.update_stack(StackName=s['StackName'], TemplateBody=body,
                                     Parameters=[{'ParameterKey': p['ParameterKey'], 'ParameterValue': p['ParameterValue']} for p in s.get('Parameters', [])],
                                     Capabilities=s.get('Capabilities', []),
                                     Tags=s.get('Tags', []) + [{'Key': 'reconcile-drift', 'Value': 'x'}])
            for name in kinesis.list_streams()['StreamNames']:
                d = proxied.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
                arn = d['StreamARN']
                mode = d.get('StreamModeDetails', {}).get('StreamMode', 'PROVISIONED')
                tags = {t['Key']: t['Value'] for t in kinesis.list_tags_for_stream(StreamName=name)['Tags']}
                if round == 'above':
                    kinesis.update_stream_mode(StreamARN=arn, StreamModeDetails={'StreamMode': 'ON_DEMAND' if mode == 'PROVISIONED' else 'PROVISIONED'})
                    if d['RetentionPeriodHours'] < 8760:
                        kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=d['RetentionPeriodHours'] + 24)
                    if d.get('EncryptionType', 'NONE') != 'KMS':
                        kinesis.start_stream_encryption(StreamName=name, EncryptionType='KMS', KeyId='alias/aws/kinesis')
                    kinesis.enable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=METRICS)
                    kinesis.add_tags_to_stream(StreamName=name, Tags={'reconcile-drift': 'x'})
                    proxied.update_max_record_size(StreamARN=arn, MaxRecordSizeInKiB=d.get('MaxRecordSizeInKiB', 1024) % 10240 + 1024)
                    for c in kinesis.list_stream_consumers(StreamARN=arn).get('Consumers', []):
                        proxied.tag_resource(ResourceARN=c['ConsumerARN'], Tags={'reconcile-drift': 'x'})
                elif round == 'below':
                    if mode == 'ON_DEMAND':
                        warm = d.get('WarmThroughput', {}).get('TargetMiBps', 0)
                        proxied.update_stream_warm_throughput(StreamARN=arn, WarmThroughputMiBps=warm + 100)
                    if mode == 'PROVISIONED':
                        kinesis.update_shard_count(StreamName=name, TargetShardCount=d['OpenShardCount'] + 1, ScalingType='UNIFORM_SCALING')
                    if d['RetentionPeriodHours'] > 24:
                        kinesis.decrease_stream_retention_period(StreamName=name, RetentionPeriodHours=24)
                    if d.get('EncryptionType', 'NONE') == 'KMS':
                        kinesis.stop_stream_encryption(StreamName=name, EncryptionType='KMS', KeyId=d.get('KeyId') or 'alias/aws/kinesis')
                    kinesis.disable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=METRICS)
                    removable = [k for k in tags if k != 'reconcile:project' and not k.startswith('aws:')]
                    if removable:
                        kinesis.remove_tags_from_stream(StreamName=name, TagKeys=removable)
                    for c in kinesis.list_stream_consumers(StreamARN=arn).get('Consumers', []):
                        kinesis.deregister_stream_consumer(ConsumerARN=c['ConsumerARN'])
            """, environment: environment)
    }
}

extension String {
    /// A Python string literal holding this text.
    var pythonLiteral: String {
        let data = (try? JSONSerialization.data(withJSONObject: [self])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}
