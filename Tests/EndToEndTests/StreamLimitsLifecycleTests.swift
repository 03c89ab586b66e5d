import Foundation
import TestSupport
import Testing

/// `maxRecordSizeKiB`, `warmThroughputMiBps` and consumer `tags` through the built binary against moto and
/// the test proxy (whose stream_settings rule answers what moto lacks): create, update, remove, destroy, and
/// an export round trip. AWS state is read back with boto3 through the proxy.
@Suite("maximum record size, warm throughput and consumer tags: life cycle")
struct StreamLimitsLifecycleTests {
    static func manifests(provisionedSize: Int?, onDemandSize: Int?, warm: Int?, consumerTags: [String: String])
        -> String
    {
        func line(_ key: String, _ value: Int?) -> String { value.map { "\n  \(key): \($0)" } ?? "" }
        let tags =
            consumerTags.isEmpty
            ? ""
            : "\n  tags:" + consumerTags.sorted { $0.key < $1.key }.map { "\n    \($0.key): \"\($0.value)\"" }.joined()
        return """
            apiVersion: reconcile/v1
            kind: Stream
            metadata:
              name: lim-prov
            spec:
              shardCount: 1\(line("maxRecordSizeKiB", provisionedSize))
            ---
            apiVersion: reconcile/v1
            kind: Stream
            metadata:
              name: lim-od
            spec:
              streamMode: ON_DEMAND\(line("maxRecordSizeKiB", onDemandSize))\(line("warmThroughputMiBps", warm))
            ---
            apiVersion: reconcile/v1
            kind: StreamConsumer
            metadata:
              name: lim-reader
            spec:
              stream: lim-prov\(tags)

            """
    }

    /// What AWS says, read with boto3 through the proxy: each stream's record size and warm throughput
    /// target (0 when absent), and the consumer's tags.
    struct Observed: Decodable, Equatable {
        var sizes: [String: Int]
        var warm: Int
        var consumerTags: [String: String]?
    }

    static func observe(_ workspace: Workspace) throws -> Observed {
        let out = try Subprocess.python(
            """
            import boto3, json
            kinesis = boto3.client('kinesis')
            def summary(name):
                return kinesis.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
            sizes = {name: summary(name)['MaxRecordSizeInKiB'] for name in ('lim-prov', 'lim-od')}
            warm = summary('lim-od').get('WarmThroughput', {}).get('TargetMiBps', 0)
            arn = summary('lim-prov')['StreamARN']
            consumers = kinesis.list_stream_consumers(StreamARN=arn)['Consumers']
            tags = None
            if consumers:
                listed = kinesis.list_tags_for_resource(ResourceARN=consumers[0]['ConsumerARN'])['Tags']
                tags = {tag['Key']: tag['Value'] for tag in listed}
            print(json.dumps({'sizes': sizes, 'warm': warm, 'consumerTags': tags}))
            """, environment: workspace.environment)
        return try JSONDecoder().decode(Observed.self, from: Data(out.utf8))
    }

    /// A saved plan's steps: operation → parameters (each operation appears once in these plans).
    static func steps(in file: URL) throws -> [String: [String: Any]] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var result: [String: [String: Any]] = [:]
        for step in document["steps"] as? [[String: Any]] ?? [] {
            if let operation = step["operation"] as? String { result[operation] = step["parameters"] as? [String: Any] }
        }
        return result
    }

    static func applyAndSettle(_ workspace: Workspace) throws {
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        let again = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        #expect(again.exitCode == 0, "a second plan changes nothing: \(again.output)")
    }

    @Test("create, update with a saved plan, remove back to the defaults, destroy")
    func lifecycle() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        try workspace.write(
            "limits.yaml",
            Self.manifests(
                provisionedSize: 2048, onDemandSize: 4096, warm: 100, consumerTags: ["team": "data", "tier": "1"]))
        let plan = try workspace.reconcile("plan", ".")
        #expect(plan.stdout.contains("maxRecordSizeKiB"), "\(plan.stdout)")
        #expect(plan.stdout.contains("warmThroughputMiBps"), "\(plan.stdout)")
        try Self.applyAndSettle(workspace)
        #expect(
            try Self.observe(workspace)
                == Observed(
                    sizes: ["lim-prov": 2048, "lim-od": 4096], warm: 100, consumerTags: ["team": "data", "tier": "1"]))
        // CreateStream and RegisterStreamConsumer carried the values: no follow-up call was needed.
        let created = try proxy.writeRequests().compactMap(\.operation)
        #expect(!created.contains("UpdateMaxRecordSize") && !created.contains("TagResource"), "\(created)")

        try proxy.resetLog()
        try workspace.write(
            "limits.yaml",
            Self.manifests(
                provisionedSize: 8192, onDemandSize: 4096, warm: 300,
                consumerTags: ["team": "analytics", "owner": "ops"]))
        let saved = try workspace.reconcile("plan", "--out", "update.json", ".")
        #expect(saved.exitCode == 0, "\(saved.output)")
        #expect(saved.stdout.contains("2048 → 8192"), "\(saved.stdout)")
        let steps = try Self.steps(in: workspace.directory.appendingPathComponent("update.json"))
        #expect(steps["kinesis:UpdateMaxRecordSize"]?["MaxRecordSizeInKiB"] as? Int == 8192)
        #expect((steps["kinesis:UpdateMaxRecordSize"]?["StreamARN"] as? String)?.hasSuffix(":stream/lim-prov") == true)
        #expect(steps["kinesis:UpdateStreamWarmThroughput"]?["WarmThroughputMiBps"] as? Int == 300)
        #expect(steps["kinesis:TagResource"]?["Tags"] as? [String: String] == ["team": "analytics", "owner": "ops"])
        #expect(steps["kinesis:UntagResource"]?["TagKeys"] as? [String] == ["tier"])
        let applied = try workspace.reconcile("apply", "--plan", "update.json", ".")
        #expect(applied.exitCode == 0, "\(applied.output)")
        #expect(
            try Self.observe(workspace)
                == Observed(
                    sizes: ["lim-prov": 8192, "lim-od": 4096], warm: 300,
                    consumerTags: ["team": "analytics", "owner": "ops"]))
        let written = Set(try proxy.writeRequests().compactMap(\.operation))
        #expect(
            written == ["UpdateMaxRecordSize", "UpdateStreamWarmThroughput", "TagResource", "UntagResource"],
            "\(written)")

        try workspace.write(
            "limits.yaml", Self.manifests(provisionedSize: nil, onDemandSize: nil, warm: nil, consumerTags: [:]))
        try Self.applyAndSettle(workspace)
        #expect(
            try Self.observe(workspace)
                == Observed(sizes: ["lim-prov": 1024, "lim-od": 1024], warm: 0, consumerTags: [:]))

        let destroy = try workspace.reconcile("destroy", "--auto-approve", ".")
        #expect(destroy.exitCode == 0, "\(destroy.output)")
        #expect(try workspace.streamNames().filter { $0.hasPrefix("lim-") }.isEmpty)
    }

    @Test("warm throughput on a PROVISIONED stream is refused at its value, before any AWS call")
    func provisionedWarmThroughput() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write(
            "bad.yaml",
            """
            apiVersion: reconcile/v1
            kind: Stream
            metadata:
              name: lim-bad
            spec:
              shardCount: 1
              warmThroughputMiBps: 50
            """)
        let plan = try workspace.reconcile("plan", ".")
        #expect(plan.exitCode == 1)
        #expect(plan.stderr.contains("bad.yaml:7:24"), "\(plan.stderr)")
        #expect(plan.stderr.contains("only allowed with streamMode ON_DEMAND"), "\(plan.stderr)")
        #expect(try workspace.proxy?.requests().filter { $0.service != "moto-api" }.isEmpty == true)
    }

    @Test("export writes the fields, and the exported manifests plan only the ownership tag")
    func exportRoundTrip() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        _ = try Subprocess.python(
            """
            import boto3
            kinesis = boto3.client('kinesis')
            kinesis.create_stream(StreamName='lim-exp', ShardCount=1, MaxRecordSizeInKiB=3072)
            kinesis.create_stream(StreamName='lim-exp-od', StreamModeDetails={'StreamMode': 'ON_DEMAND'},
                                  WarmThroughputMiBps=50)
            for name in ('lim-exp', 'lim-exp-od'):  # CREATING first, as on AWS, when the proxy holds it so
                kinesis.get_waiter('stream_exists').wait(StreamName=name, WaiterConfig={'Delay': 1})
            arn = kinesis.describe_stream_summary(StreamName='lim-exp')['StreamDescriptionSummary']['StreamARN']
            kinesis.register_stream_consumer(StreamARN=arn, ConsumerName='lim-exp-reader', Tags={'team': 'web'})
            """, environment: workspace.environment)
        let printed = try workspace.reconcile("export", "--stream", "lim-exp")
        #expect(printed.exitCode == 0, "\(printed.output)")
        #expect(printed.stdout.contains("maxRecordSizeKiB: 3072"), "\(printed.stdout)")
        #expect(printed.stdout.contains("tags:\n    team: web"), "\(printed.stdout)")
        let onDemand = try workspace.reconcile("export", "--stream", "lim-exp-od")
        #expect(onDemand.stdout.contains("warmThroughputMiBps: 50"), "\(onDemand.stdout)")
        #expect(!onDemand.stdout.contains("maxRecordSizeKiB"), "the default is left out: \(onDemand.stdout)")

        for stream in ["lim-exp", "lim-exp-od"] {
            let written = try workspace.reconcile("export", "--stream", stream, "--out", "exported")
            #expect(written.exitCode == 0, "\(written.output)")
        }
        let plan = try workspace.reconcile("plan", "--adopt", "--output", "json", "exported")
        #expect(plan.exitCode == 0, "\(plan.output)")
        let changed = try ExportTests.changedProperties(plan.stdout)
        #expect(
            changed == ["Stream/lim-exp": ["tags.reconcile:project"], "Stream/lim-exp-od": ["tags.reconcile:project"]])
        let apply = try workspace.reconcile("apply", "--adopt", "--auto-approve", "exported")
        #expect(apply.exitCode == 0, "\(apply.output)")
        let again = try workspace.reconcile("plan", "--detailed-exitcode", "exported")
        #expect(again.exitCode == 0, "\(again.output)")
    }

    static func stackManifests(size: Int?, warm: Int?, consumerTags: String) -> String {
        """
        apiVersion: reconcile/v1
        kind: Stack
        metadata:
          name: lim-stack
        ---
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: lim-member
          stack: lim-stack
        spec:
          shardCount: 1\(size.map { "\n  maxRecordSizeKiB: \($0)" } ?? "")
        ---
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: lim-member-od
          stack: lim-stack
        spec:
          streamMode: ON_DEMAND\(warm.map { "\n  warmThroughputMiBps: \($0)" } ?? "")
        ---
        apiVersion: reconcile/v1
        kind: StreamConsumer
        metadata:
          name: lim-member-reader
        spec:
          stream: lim-member\(consumerTags)

        """
    }

    @Test("in a stack: the template's MaxRecordSizeInKiB, WarmThroughputMiBps and consumer Tags, no direct calls")
    func stackManaged() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        func observe() throws -> String {
            try Subprocess.python(
                """
                import boto3, json
                kinesis, cfn = boto3.client('kinesis'), boto3.client('cloudformation')
                def summary(name):
                    return kinesis.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
                template = cfn.get_template(StackName='lim-stack')['TemplateBody']
                template = json.loads(template) if isinstance(template, str) else template
                consumer = next(r for r in template['Resources'].values() if r['Type'] == 'AWS::Kinesis::StreamConsumer')
                print(summary('lim-member')['MaxRecordSizeInKiB'],
                      summary('lim-member-od').get('WarmThroughput', {}).get('TargetMiBps', 0),
                      json.dumps(consumer['Properties'].get('Tags', [])))
                """, environment: workspace.environment
            ).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let tagged = "\n  tags: {team: data}"
        try workspace.write("stack.yaml", Self.stackManifests(size: 2048, warm: 100, consumerTags: tagged))
        try Self.applyAndSettle(workspace)
        #expect(try observe() == #"2048 100 [{"Key": "team", "Value": "data"}]"#)

        try proxy.resetLog()
        try workspace.write("stack.yaml", Self.stackManifests(size: 4096, warm: 200, consumerTags: ""))
        let plan = try workspace.reconcile("plan", ".")
        #expect(plan.stdout.contains("2048 → 4096"), "\(plan.stdout)")
        try Self.applyAndSettle(workspace)
        #expect(try observe() == "4096 200 []")
        let written = Set(try proxy.writeRequests().compactMap(\.operation))
        #expect(
            !written.contains("UpdateMaxRecordSize") && !written.contains("UpdateStreamWarmThroughput"), "\(written)")

        try workspace.write("stack.yaml", Self.stackManifests(size: nil, warm: nil, consumerTags: ""))
        try Self.applyAndSettle(workspace)
        #expect(try observe() == "1024 0 []")
        let destroy = try workspace.reconcile("destroy", "--auto-approve", ".")
        #expect(destroy.exitCode == 0, "\(destroy.output)")
        #expect(try workspace.stackNames().contains("lim-stack") == false)
    }
}
