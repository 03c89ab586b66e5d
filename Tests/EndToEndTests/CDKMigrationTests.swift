import Foundation
import TestSupport
import Testing

/// The article's reader moves the stack their CDK app deployed to reconcile: the CDK's
/// template (Tests/Fixtures/cdk) deployed to moto with boto3, then export → plan --adopt →
/// apply --adopt → verify → plan, through the fault proxy (whose stack_stream_encryption
/// rule makes the stream read as KMS-encrypted, as AWS reports it).
@Suite("coming from the CDK app: the deployed stack moves to reconcile and keeps its records")
struct CDKMigrationTests {
    static let stack = "xyz-infra-kinesis"
    static let stream = "xyz-kinesis-data-stream"
    static let cdkLogicalId = "xyzkinesisdatastreamAE2EE044"

    @Test("export, adopt, verify: only the ownership tag changes, encryption stays, the record stays")
    func exportAndAdopt() throws {
        let workspace = try Self.deployedCDKStack()
        defer { workspace.stop() }
        let identity = try Self.streamIdentity(workspace)

        let exported = try workspace.reconcile("export", "--stack", Self.stack, "--out", "exported")
        #expect(exported.exitCode == 0, "\(exported.output)")
        let text = try Self.read(workspace, "exported/stack-\(Self.stack).yaml")
        for line in [
            "kind: Stream", "logicalId: \(Self.cdkLogicalId)", "type: KMS", "keyId: alias/aws/kinesis",
            "deletionPolicy: Retain", "CheckBootstrapVersion:", "CDKMetadata:"
        ] {
            #expect(text.contains(line), "missing \(line) in\n\(text)")
        }
        #expect(!text.contains("AWS::Kinesis::Stream"), "the stream stayed pass-through:\n\(text)")

        let plan = try workspace.reconcile("plan", "--adopt", "--output", "json", "exported")
        #expect(plan.exitCode == 0, "\(plan.output)")
        #expect(try Self.changedProperties(plan.stdout) == ["Stack/\(Self.stack)": ["tags.reconcile:project"]])
        try Self.expectNothingDestructive(plan.stdout)

        try Self.adoptAndSettle(workspace, "exported")
        let encryption = try Self.proxiedBoto3(
            workspace,
            """
            s = kinesis.describe_stream_summary(StreamName='\(Self.stream)')['StreamDescriptionSummary']
            print(s['EncryptionType'], s.get('KeyId'))
            """)
        #expect(encryption == "KMS alias/aws/kinesis")
        #expect(try Self.firstRecord(workspace) == "before-migration")
        #expect(try Self.streamIdentity(workspace) == identity, "the stream was replaced")
    }

    @Test("--drop-cdk-metadata: the plan lists each CDK leftover it removes, and nothing destructive")
    func dropCDKMetadata() throws {
        let workspace = try Self.deployedCDKStack()
        defer { workspace.stop() }

        let exported = try workspace.reconcile(
            "export", "--stack", Self.stack, "--drop-cdk-metadata", "--out", "exported")
        #expect(exported.exitCode == 0, "\(exported.output)")
        let text = try Self.read(workspace, "exported/stack-\(Self.stack).yaml")
        #expect(
            text.contains(
                "# Left out (--drop-cdk-metadata): Resources.CDKMetadata, Rules.CheckBootstrapVersion, "
                    + "Parameters.BootstrapVersion, Conditions.AwsCdkKinesisEncryptedStreamsUnsupportedRegions, "
                    + "Conditions.CDKMetadataAvailable."), "\(text)")
        #expect(!text.contains("BootstrapVersion:") && !text.contains("AWS::CDK::Metadata"), "\(text)")

        let plan = try workspace.reconcile("plan", "--adopt", "--output", "json", "exported")
        #expect(plan.exitCode == 0, "\(plan.output)")
        let changed = try Self.changedProperties(plan.stdout)
        #expect(
            Set(changed["Stack/\(Self.stack)"] ?? []) == [
                "tags.reconcile:project", "parameters.BootstrapVersion", "template.Parameters.BootstrapVersion",
                "template.Rules.CheckBootstrapVersion", "template.Resources.CDKMetadata",
                "template.Conditions.AwsCdkKinesisEncryptedStreamsUnsupportedRegions",
                "template.Conditions.CDKMetadataAvailable"
            ])
        #expect(changed.count == 1, "\(changed)")
        try Self.expectNothingDestructive(plan.stdout)

        try Self.adoptAndSettle(workspace, "exported")
        #expect(try Self.firstRecord(workspace) == "before-migration")
    }

    @Test("the hand-written manifest is told the deployed logical ID, never to delete the stream")
    func logicalIdGuidance() throws {
        let workspace = try Self.deployedCDKStack()
        defer { workspace.stop() }
        try workspace.write(
            "xyz-infra-kinesis.yaml",
            """
            apiVersion: reconcile/v1
            kind: Stack
            metadata:
              name: xyz-infra-kinesis
            ---
            apiVersion: reconcile/v1
            kind: Stream
            metadata:
              name: xyz-kinesis-data-stream
              stack: xyz-infra-kinesis
            spec:
              shardCount: 1
              retentionPeriodHours: 24
            """)
        for arguments in [["plan", "."], ["plan", "--adopt", "."]] {
            let plan = try workspace.reconcile(arguments: arguments)
            #expect(plan.exitCode == 1, "\(plan.output)")
            #expect(plan.stderr.contains("the stack holds it under \(Self.cdkLogicalId)"), "\(plan.stderr)")
            #expect(plan.stderr.contains("(xyz-infra-kinesis.yaml:9:9)"), "\(plan.stderr)")
            #expect(plan.stderr.contains("\n    logicalId: \(Self.cdkLogicalId)\n"), "\(plan.stderr)")
            #expect(plan.stderr.contains("reconcile export --stack \(Self.stack)"), "\(plan.stderr)")
            #expect(!plan.stderr.lowercased().contains("delete"), "\(plan.stderr)")
        }
        // The line it gives is the fix; the hand-written manifest declares no encryption, so the
        // plan then says, as a destructive change, that the CDK's KMS encryption would go.
        let manifest = try Self.read(workspace, "xyz-infra-kinesis.yaml")
        try workspace.write(
            "xyz-infra-kinesis.yaml",
            manifest.replacingOccurrences(
                of: "  stack: xyz-infra-kinesis\n",
                with: "  stack: xyz-infra-kinesis\n  logicalId: \(Self.cdkLogicalId)\n"))
        let fixed = try workspace.reconcile("plan", "--adopt", "--output", "json", ".")
        #expect(fixed.exitCode == 0, "\(fixed.output)")
        let changed = try Self.changedProperties(fixed.stdout)
        let streamChanges = changed["Stream/\(Self.stream)"]
        #expect(streamChanges == ["encryption.type", "encryption.keyId", "deletionPolicy"], "\(changed)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(fixed.stdout.utf8)) as? [String: Any])
        let reasons = (document["changes"] as? [[String: Any]] ?? [])
            .flatMap { $0["destructiveReasons"] as? [String] ?? [] }
        #expect(reasons.contains { $0.hasPrefix("encryption removed") }, "\(reasons)")
    }

    @Test("a stream of that name outside the stack: adopting it directly comes before deleting it")
    func streamOutsideStack() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        _ = try workspace.boto3("kinesis.create_stream(StreamName='outside', ShardCount=1)")
        try workspace.write(
            "m.yaml",
            """
            apiVersion: reconcile/v1
            kind: Stack
            metadata:
              name: holder
            ---
            apiVersion: reconcile/v1
            kind: Stream
            metadata:
              name: outside
              stack: holder
            spec:
              shardCount: 1
            """)
        let plan = try workspace.reconcile("plan", "--adopt", ".")
        #expect(plan.exitCode == 1, "\(plan.output)")
        let message = plan.stderr
        let adopt = try #require(message.range(of: "remove metadata.stack"), "\(message)")
        let delete = try #require(message.range(of: "delete the stream"), "\(message)")
        #expect(adopt.lowerBound < delete.lowerBound)
        #expect(message.contains("reconcile export --stream outside"))
        #expect(message.contains("Only if its records are not needed"))
    }

    // MARK: - Helpers

    /// A proxied workspace with the article's CDK stack deployed by boto3 (through the
    /// proxy, as `cdk deploy` would call CloudFormation) and one record put into its stream.
    static func deployedCDKStack() throws -> Workspace {
        let workspace = try Workspace(proxied: true)
        let template = PackagePaths.root.appendingPathComponent("Tests/Fixtures/cdk/xyz-infra-kinesis.template.json")
        let status = try proxiedBoto3(
            workspace,
            """
            boto3.client('ssm').put_parameter(Name='/cdk-bootstrap/hnb659fds/version', Value='6', Type='String')
            cfn.create_stack(StackName='\(stack)', TemplateBody=open(\(try json(template.path))).read())
            cfn.get_waiter('stack_create_complete').wait(StackName='\(stack)', WaiterConfig={'Delay': 1})
            kinesis.put_record(StreamName='\(stream)', Data=b'before-migration', PartitionKey='k')
            print(cfn.describe_stacks(StackName='\(stack)')['Stacks'][0]['StackStatus'])
            """)
        #expect(status == "CREATE_COMPLETE")
        return workspace
    }

    /// apply --adopt, verify, then a plan that must be empty.
    static func adoptAndSettle(_ workspace: Workspace, _ folder: String) throws {
        let apply = try workspace.reconcile("apply", "--adopt", "--auto-approve", folder)
        #expect(apply.exitCode == 0, "\(apply.output)")
        let verify = try workspace.reconcile("verify", folder)
        #expect(verify.exitCode == 0, "\(verify.output)")
        let again = try workspace.reconcile("plan", "--detailed-exitcode", folder)
        #expect(again.exitCode == 0, "\(again.output)")
        #expect(again.stdout.hasSuffix("No changes. Live state matches the manifests.\n"), "\(again.stdout)")
    }

    /// The oldest record of the stream's first shard, as text.
    static func firstRecord(_ workspace: Workspace) throws -> String {
        try proxiedBoto3(
            workspace,
            """
            shard = kinesis.list_shards(StreamName='\(stream)')['Shards'][0]['ShardId']
            iterator = kinesis.get_shard_iterator(
                StreamName='\(stream)', ShardId=shard, ShardIteratorType='TRIM_HORIZON')['ShardIterator']
            records = kinesis.get_records(ShardIterator=iterator)['Records']
            print(records[0]['Data'].decode() if records else 'no records')
            """)
    }

    /// The stream's ARN and creation time: equal only if it was never replaced.
    static func streamIdentity(_ workspace: Workspace) throws -> String {
        try proxiedBoto3(
            workspace,
            """
            s = kinesis.describe_stream_summary(StreamName='\(stream)')['StreamDescriptionSummary']
            print(s['StreamARN'], s['StreamCreationTimestamp'].isoformat())
            """)
    }

    /// boto3 through the proxy (kinesis, cfn predefined); returns stdout.
    static func proxiedBoto3(_ workspace: Workspace, _ script: String) throws -> String {
        let prelude = """
            import boto3, json
            kinesis = boto3.client('kinesis')
            cfn = boto3.client('cloudformation')

            """
        return try Subprocess.python(prelude + script, environment: workspace.environment)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func read(_ workspace: Workspace, _ path: String) throws -> String {
        try String(contentsOf: workspace.directory.appendingPathComponent(path), encoding: .utf8)
    }

    /// A Python string literal for `text` (JSON's is one).
    static func json(_ text: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return String(decoding: try encoder.encode(text), as: UTF8.self)
    }

    static func changedProperties(_ json: String) throws -> [String: [String]] {
        try ExportTests.changedProperties(json)
    }

    /// No change in the plan is destructive, and no step deletes a stream or a stack.
    static func expectNothingDestructive(_ json: String) throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for change in document["changes"] as? [[String: Any]] ?? [] {
            #expect((change["destructiveReasons"] as? [Any] ?? []).isEmpty, "\(change)")
        }
        let steps = (document["steps"] as? [[String: Any]] ?? []).compactMap { $0["operation"] as? String }
        #expect(!steps.contains { $0.contains("Delete") }, "\(steps)")
    }
}
