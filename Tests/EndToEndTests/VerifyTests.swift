import Foundation
import TestSupport
import Testing

/// `verify` for direct and stack-managed streams, and its failure paths.
@Suite("verify puts a record and reads it back")
struct VerifyTests {
    static let manifests = """
        apiVersion: reconcile/v1
        kind: Stack
        metadata:
          name: verify-stack
        ---
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: verify-in-stack
          stack: verify-stack
        spec:
          shardCount: 2
        ---
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: verify-direct
        spec:
          shardCount: 1

        """

    @Test("direct and stack-managed streams round-trip a record; --stream limits it")
    func roundTrip() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("streams.yaml", Self.manifests)
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        let all = try workspace.reconcile("verify", ".")
        #expect(all.exitCode == 0, "\(all.output)")
        #expect(all.stdout.contains("ok   Stream/verify-direct"))
        #expect(all.stdout.contains("ok   Stream/verify-in-stack"))
        #expect(all.stdout.contains("2 of 2 streams verified."))
        let records = try workspace.boto3(
            """
            it = kinesis.get_shard_iterator(StreamName='verify-direct', ShardId='shardId-000000000000', ShardIteratorType='TRIM_HORIZON')['ShardIterator']
            print(json.loads(kinesis.get_records(ShardIterator=it)['Records'][0]['Data'])['source'])
            """)
        #expect(records == "reconcile verify")
        let one = try workspace.reconcile("verify", "--stream", "verify-direct", ".")
        #expect(one.stdout.contains("1 of 1 streams verified."))
    }

    @Test("a declared stream that does not exist fails verify, named")
    func missingStream() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("streams.yaml", Self.manifests)
        let result = try workspace.reconcile("verify", ".")
        #expect(result.exitCode == 1)
        #expect(result.stdout.contains("FAIL Stream/verify-direct"))
        #expect(result.stdout.contains("does not exist"))
        #expect(result.stderr.contains("Stream/verify-direct"))
    }

    @Test("a stream that is not ACTIVE fails verify")
    func notActive() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        try workspace.write("streams.yaml", Self.manifests)
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        let proxy = try #require(workspace.proxy)
        try proxy.configure(#"{"rules": {"busy_seconds": 60}}"#)
        // A write through the proxy opens a 60 s CREATING window for a new stream.
        _ = try Subprocess.python(
            "import boto3; boto3.client('kinesis').create_stream(StreamName='verify-busy', ShardCount=1)",
            environment: proxy.clientEnvironment)
        try workspace.write(
            "busy.yaml",
            "apiVersion: reconcile/v1\nkind: Stream\nmetadata: {name: verify-busy}\nspec: {shardCount: 1}\n")
        let result = try workspace.reconcile("verify", "--stream", "verify-busy", ".")
        #expect(result.exitCode == 1, "\(result.output)")
        #expect(result.stdout.contains("not ACTIVE"))
    }

    @Test("a record that cannot be read back fails verify")
    func notReadBack() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        try workspace.write("streams.yaml", Self.manifests)
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        try #require(workspace.proxy).configure(#"{"rules": {"drop_records": true}}"#)
        let result = try workspace.reconcile("verify", "--stream", "verify-direct", ".")
        #expect(result.exitCode == 1, "\(result.output)")
        #expect(result.stdout.contains("could not read it back"))
    }

    @Test("--stream with an undeclared name is an error before any AWS call")
    func undeclaredName() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("streams.yaml", Self.manifests)
        let result = try workspace.reconcile("verify", "--stream", "nope", ".")
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("no declared stream named 'nope'"))
    }
}
