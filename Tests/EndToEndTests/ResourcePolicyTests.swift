import Foundation
import TestSupport
import Testing

/// `spec.resourcePolicy` through the binary, moto and the proxy (whose `resource_policies` rule answers as AWS
/// documents): create, change with a statement diff and an Access changes section, removal, destroy, export.
@Suite("resource policies of streams and consumers")
struct ResourcePolicyTests {
    static let partner = "arn:aws:iam::111122223333:root"
    static let newcomer = "arn:aws:iam::444455556666:root"

    /// A direct stream whose policy holds `statements` (YAML list items, indented for the manifest).
    static func stream(_ name: String, statements: String?) -> String {
        var yaml = """
            apiVersion: reconcile/v1
            kind: Stream
            metadata:
              name: \(name)
            spec:
              shardCount: 1
            """
        if let statements {
            yaml += "\n  resourcePolicy:\n    Version: \"2012-10-17\"\n    Statement:\n" + statements
        }
        return yaml + "\n"
    }

    static func statement(sid: String, account: String, actions: [String], stream: String) -> String {
        """
              - Sid: \(sid)
                Effect: Allow
                Principal: {AWS: "\(account)"}
                Action: [\(actions.joined(separator: ", "))]
                Resource: arn:aws:kinesis:eu-central-1:123456789012:stream/\(stream)

        """
    }

    /// The live policy as moto holds it (boto3 straight to moto), sorted JSON; `{}` when none.
    static func livePolicy(_ workspace: Workspace, _ stream: String) throws -> String {
        try workspace.boto3(
            """
            arn = kinesis.describe_stream_summary(StreamName='\(stream)')['StreamDescriptionSummary']['StreamARN']
            print(json.dumps(json.loads(kinesis.get_resource_policy(ResourceARN=arn)['Policy']), sort_keys=True))
            """)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test("create, change (statement diff, Access changes), remove and destroy a stream's policy")
    func streamLifecycle() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        let reads = Self.statement(
            sid: "PartnerReads", account: "111122223333", actions: ["kinesis:DescribeStreamSummary"],
            stream: "rp-orders")
        try workspace.write("s.yaml", Self.stream("rp-orders", statements: reads))

        let plan = try workspace.reconcile("plan", ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
        #expect(plan.stdout.contains("+ resourcePolicy: statements 1 added"))
        #expect(
            plan.stdout.contains(
                "+ PartnerReads: Allow AWS:\(Self.partner) kinesis:DescribeStreamSummary on arn:aws:kinesis:"))
        #expect(plan.stdout.contains("Access changes (principals a resource policy newly allows):"))
        #expect(plan.stdout.contains("  Stream/rp-orders [eu-central-1]: AWS:\(Self.partner)"))
        let document = try Self.json(try workspace.reconcile("plan", "--output", "json", ".").stdout)
        let steps = document["steps"] as? [[String: Any]] ?? []
        let put = steps.first { $0["operation"] as? String == "kinesis:PutResourcePolicy" }
        let parameters = put?["parameters"] as? [String: Any]
        #expect(parameters?["ResourceARN"] as? String == "${Stream/rp-orders.StreamARN}")
        #expect((parameters?["Policy"] as? String)?.contains("PartnerReads") == true)
        let change = (document["changes"] as? [[String: Any]])?.first { $0["address"] as? String == "Stream/rp-orders" }
        let property = (change?["properties"] as? [[String: Any]])?.first { $0["path"] as? String == "resourcePolicy" }
        let added = (property?["statements"] as? [String: Any])?["added"] as? [[String: Any]]
        #expect(added?.map { $0["Sid"] as? String } == ["PartnerReads"])
        let access = document["accessChanges"] as? [[String: Any]]
        #expect(access?.first?["newPrincipals"] as? [String] == ["AWS:\(Self.partner)"])

        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        #expect(try Self.livePolicy(workspace, "rp-orders").contains("\"Sid\": \"PartnerReads\""))
        let clean = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        #expect(clean.exitCode == 0, "\(clean.output)")

        // Change: PartnerReads gains an action, a new statement grants a new account.
        let wider = Self.statement(
            sid: "PartnerReads", account: "111122223333",
            actions: ["kinesis:DescribeStreamSummary", "kinesis:GetRecords"], stream: "rp-orders")
        let writes = Self.statement(
            sid: "NewcomerWrites", account: "444455556666", actions: ["kinesis:PutRecord"], stream: "rp-orders")
        try workspace.write("s.yaml", Self.stream("rp-orders", statements: wider + writes))
        let changed = try workspace.reconcile("plan", ".")
        #expect(changed.exitCode == 0, "\(changed.output)")
        #expect(changed.stdout.contains("~ resourcePolicy: statements 1 added, 1 changed"))
        #expect(changed.stdout.contains("~ PartnerReads: Allow AWS:\(Self.partner) kinesis:DescribeStreamSummary on"))
        #expect(
            changed.stdout.contains(
                "→ PartnerReads: Allow AWS:\(Self.partner) kinesis:DescribeStreamSummary,kinesis:GetRecords on"))
        #expect(changed.stdout.contains("+ NewcomerWrites: Allow AWS:\(Self.newcomer) kinesis:PutRecord on"))
        #expect(changed.stdout.contains("  Stream/rp-orders [eu-central-1]: AWS:\(Self.newcomer)\n"))
        let markdown = try workspace.reconcile("plan", "--output", "markdown", ".")
        #expect(markdown.stdout.contains("🔑 **Access changes (principals a resource policy newly allows):**"))
        #expect(markdown.stdout.contains("- Stream/rp-orders [eu-central-1]: AWS:\(Self.newcomer)\n"))
        #expect(markdown.stdout.contains("- `+ NewcomerWrites: Allow AWS:\(Self.newcomer) kinesis:PutRecord on"))
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        let live = try Self.livePolicy(workspace, "rp-orders")
        #expect(live.contains("NewcomerWrites") && live.contains("kinesis:GetRecords"))

        // Removal: the field goes, so does the policy.
        try workspace.write("s.yaml", Self.stream("rp-orders", statements: nil))
        let removal = try workspace.reconcile("plan", ".")
        #expect(removal.stdout.contains("- resourcePolicy: statements 2 removed"), "\(removal.output)")
        #expect(removal.stdout.contains("kinesis:DeleteResourcePolicy  Stream/rp-orders"))
        #expect(!removal.stdout.contains("Access changes"))
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        #expect(try Self.livePolicy(workspace, "rp-orders") == "{}")
        #expect(try workspace.reconcile("plan", "--detailed-exitcode", ".").exitCode == 0)

        let destroy = try workspace.reconcile("destroy", "--auto-approve", ".")
        #expect(destroy.exitCode == 0, "\(destroy.output)")
        #expect(try workspace.streamNames().isEmpty)
    }

    @Test("a stream that never had a policy from reconcile costs no GetResourcePolicy, and its own policy stays")
    func noPolicyNoRead() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("s.yaml", Self.stream("rp-plain", statements: nil))
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        // Someone else attaches a policy: reconcile never read it, so it leaves it alone.
        _ = try workspace.boto3(
            """
            arn = kinesis.describe_stream_summary(StreamName='rp-plain')['StreamDescriptionSummary']['StreamARN']
            kinesis.put_resource_policy(ResourceARN=arn, Policy=json.dumps({'Version': '2012-10-17', 'Statement': [
                {'Effect': 'Allow', 'Principal': {'AWS': '111122223333'}, 'Action': 'kinesis:GetRecords',
                 'Resource': arn}]}))
            """)
        try workspace.proxy?.resetLog()
        let plan = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
        let operations = try workspace.proxy?.requests().compactMap(\.operation) ?? []
        #expect(!operations.isEmpty)
        #expect(!operations.contains("GetResourcePolicy"))
        #expect(try Self.livePolicy(workspace, "rp-plain").contains("111122223333"))
    }

    @Test("a consumer's policy on a consumer the same apply registers; export then plan shows no changes")
    func consumerAndExport() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        let consumer = """
            ---
            apiVersion: reconcile/v1
            kind: StreamConsumer
            metadata:
              name: rp-reader
            spec:
              stream: rp-shared
              resourcePolicy:
                Version: "2012-10-17"
                Statement:
                  Sid: PartnerSubscribes
                  Effect: Allow
                  Principal: {AWS: "111122223333"}
                  Action: [kinesis:SubscribeToShard, kinesis:DescribeStreamConsumer]
                  Resource: "*"

            """
        let streamPolicy = Self.statement(
            sid: "PartnerReads", account: "111122223333", actions: ["kinesis:DescribeStreamSummary"],
            stream: "rp-shared")
        try workspace.write("s.yaml", Self.stream("rp-shared", statements: streamPolicy) + consumer)
        let document = try Self.json(try workspace.reconcile("plan", "--output", "json", ".").stdout)
        let arns = (document["steps"] as? [[String: Any]] ?? []).compactMap { step -> String? in
            guard step["operation"] as? String == "kinesis:PutResourcePolicy" else { return nil }
            return (step["parameters"] as? [String: Any])?["ResourceARN"] as? String
        }
        #expect(
            arns.sorted() == ["${Stream/rp-shared.StreamARN}", "${Stream/rp-shared/consumer/rp-reader.ConsumerARN}"])

        // Through a saved plan: apply --plan resolves both references itself.
        let saved = try workspace.reconcile("plan", "--out", "saved.json", ".")
        #expect(saved.exitCode == 0, "\(saved.output)")
        let apply = try workspace.reconcile("apply", "--auto-approve", "--plan", "saved.json", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        // Consumers' policies live in the proxy (moto cannot read them back): ask through it.
        let consumerPolicy = try Subprocess.python(
            """
            import boto3, json
            k = boto3.client('kinesis')
            arn = k.describe_stream_summary(StreamName='rp-shared')['StreamDescriptionSummary']['StreamARN']
            c = [x for x in k.list_stream_consumers(StreamARN=arn)['Consumers'] if x['ConsumerName'] == 'rp-reader'][0]
            print(json.loads(k.get_resource_policy(ResourceARN=c['ConsumerARN'])['Policy'])['Statement']['Sid'])
            """, environment: workspace.environment)
        #expect(consumerPolicy.trimmingCharacters(in: .whitespacesAndNewlines) == "PartnerSubscribes")
        #expect(try workspace.reconcile("plan", "--detailed-exitcode", ".").exitCode == 0)

        let export = try workspace.reconcile("export", "--stream", "rp-shared", "--out", "exported")
        #expect(export.exitCode == 0, "\(export.output)")
        let exported = try String(
            contentsOf: workspace.directory.appendingPathComponent("exported/stream-rp-shared.yaml"), encoding: .utf8)
        #expect(exported.components(separatedBy: "resourcePolicy:").count == 3)
        #expect(!exported.contains("reconcile:resource-policy"))
        let roundTrip = try workspace.reconcile("plan", "--detailed-exitcode", "exported")
        #expect(roundTrip.exitCode == 0, "\(roundTrip.output)")
        #expect(roundTrip.stdout.hasSuffix("No changes. Live state matches the manifests.\n"))
    }

    @Test("a stack stream's policy: an AWS::Kinesis::ResourcePolicy cfn-lint accepts, planned with its statements")
    func stackManaged() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        let stack = "apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: rp-stack\n---\n"
        func member(_ statements: String?) -> String {
            Self.stream("rp-stacked", statements: statements)
                .replacingOccurrences(of: "  name: rp-stacked\n", with: "  name: rp-stacked\n  stack: rp-stack\n")
        }
        try workspace.write("s.yaml", stack + member(nil))
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        let reads = Self.statement(
            sid: "PartnerReads", account: "111122223333", actions: ["kinesis:DescribeStreamSummary"],
            stream: "rp-stacked")
        try workspace.write("s.yaml", stack + member(reads))

        let synth = try workspace.reconcile("synth", "--out", "out", ".")
        #expect(synth.exitCode == 0, "\(synth.output)")
        let path = workspace.directory.appendingPathComponent("out/rp-stack.template.json").path
        let template = try Self.json(try String(contentsOfFile: path, encoding: .utf8))
        let resource = (template["Resources"] as? [String: Any])?["RpStackedResourcePolicy"] as? [String: Any]
        #expect(resource?["Type"] as? String == "AWS::Kinesis::ResourcePolicy")
        let properties = resource?["Properties"] as? [String: Any]
        #expect((properties?["ResourceArn"] as? [String: Any])?["Fn::GetAtt"] as? [String] == ["RpStacked", "Arn"])
        let lint = try Subprocess.run("cfn-lint", [path])
        #expect(lint.exitCode == 0, "\(lint.output)")

        let plan = try workspace.reconcile("plan", ".")
        #expect(
            plan.stdout.contains(
                "+ template.Resources.RpStackedResourcePolicy (resource policy of RpStacked): statements 1 added"),
            "\(plan.output)")
        #expect(plan.stdout.contains("+ PartnerReads: Allow AWS:\(Self.partner) kinesis:DescribeStreamSummary on"))
        #expect(plan.stdout.contains("  Stack/rp-stack [eu-central-1]: AWS:\(Self.partner)"))
        #expect(plan.stdout.contains("cloudformation:UpdateStack  Stack/rp-stack"))
        // moto's CloudFormation skips the type: the stack takes the template, no policy is attached.
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        let deployed = try workspace.boto3(
            "print('RpStackedResourcePolicy' in json.dumps(cfn.get_template(StackName='rp-stack')['TemplateBody']))")
        #expect(deployed == "True")
        #expect(try workspace.reconcile("plan", "--detailed-exitcode", ".").exitCode == 0)

        // export: the template's policy becomes the stream's spec.resourcePolicy, and plans no change.
        let export = try workspace.reconcile("export", "--stack", "rp-stack", "--out", "exported")
        #expect(export.exitCode == 0, "\(export.output)")
        let exported = try String(
            contentsOf: workspace.directory.appendingPathComponent("exported/stack-rp-stack.yaml"), encoding: .utf8)
        #expect(exported.contains("  resourcePolicy:\n"))
        #expect(!exported.contains("AWS::Kinesis::ResourcePolicy"))
        let roundTrip = try workspace.reconcile("plan", "--detailed-exitcode", "exported")
        #expect(roundTrip.exitCode == 0, "\(roundTrip.output)")
    }

    @Test("reconcile policy with moto's IAM on: the printed actions suffice, and each resource-policy action is needed")
    func iamPolicySuffices() throws {
        let workspace = try Workspace(copying: ["Tests/Fixtures/resource-policy"])
        defer { workspace.stop() }
        let printed = try workspace.reconcile("policy", "--account", "123456789012", ".")
        #expect(printed.exitCode == 0, "\(printed.output)")
        let document = try Self.json(printed.stdout)
        let statements = document["Statement"] as? [[String: Any]] ?? []
        let actions = Set(statements.flatMap { $0["Action"] as? [String] ?? [] })
        let policyActions = ["kinesis:GetResourcePolicy", "kinesis:PutResourcePolicy"]
        #expect(actions.isSuperset(of: policyActions))
        // Nothing here ever deletes a policy: every one is declared.
        #expect(!actions.contains("kinesis:DeleteResourcePolicy"))
        let baseline = try PolicyIAMTests.runScenario(workspace, allowed: actions)
        #expect(baseline == nil, "with every printed action: \(baseline ?? "")")
        for action in policyActions {
            let failure = try PolicyIAMTests.runScenario(workspace, allowed: actions.subtracting([action]))
            #expect(
                failure?.contains("AccessDenied") == true && failure?.contains(action) == true,
                "\(action): \(failure ?? "nil")")
        }
    }
}
