import AWSClient
import Formats
import Foundation
import Testing
import TestSupport

@testable import ReconcileKit

/// The IAM policy cannot drift from what reconcile calls: every operation the planner can
/// emit, every read and wait, and every operation the service clients send is in the
/// operation catalog the policy is printed from.
@Suite("IAM policy: operation catalog and generator")
struct PolicyTests {
    static let region = "eu-central-1"
    static let account = "123456789012"

    /// One of everything: direct provisioned and on-demand streams with every option, a
    /// direct consumer, a stack with a member stream and consumer.
    static let rich = DesiredState(
        stacks: [StackSpec(name: "s", terminationProtection: false)],
        streams: [
            StreamSpec(
                name: "direct", shardCount: 2, retentionPeriodHours: 48, encryption: .kms(keyId: "alias/aws/kinesis"),
                shardLevelMetrics: ["IncomingBytes"], tags: ["env": "dev"]),
            StreamSpec(name: "ondemand", mode: .onDemand, retentionPeriodHours: 24),
            StreamSpec(name: "member", stack: "s", shardCount: 1, retentionPeriodHours: 72, shardLevelMetrics: ["IncomingBytes"], tags: ["t": "v"]),
        ],
        consumers: [ConsumerSpec(name: "c1", stream: "direct"), ConsumerSpec(name: "c2", stream: "member")])

    static func regions(_ desired: DesiredState) -> [ResourceAddress: String] {
        Dictionary(uniqueKeysWithValues: desired.addresses.map { ($0, region) })
    }

    static func plannerOperations(_ desired: DesiredState) throws -> Set<String> {
        var operations = Set<String>()
        for mode in [PlanMode.apply, .destroy] {
            let steps = try PolicyGenerator.plannedSteps(desired: desired, regions: regions(desired), mode: mode)
            operations.formUnion(steps.map(\.operation))
        }
        return operations
    }

    @Test("every operation the planner emits for a rich manifest set is in the catalog, and the made-up live states reach every write")
    func plannerOperationsAreCatalogued() throws {
        let emitted = try Self.plannerOperations(Self.rich)
        for operation in emitted { #expect(AWSOperationCatalog.entry(for: operation) != nil, "\(operation) missing") }
        // Every write the planner knows (the literals in Planning/) is reached by the made-up live states.
        let planningSources = try Self.sources(under: "Sources/ReconcileKit/Planning")
        let literals = Self.matches(#""((?:kinesis|cloudformation):[A-Za-z]+)""#, in: planningSources)
        #expect(!literals.isEmpty)
        // Only --prune deletes of undeclared resources are outside a declared-resource policy.
        let pruneOnly: Set<String> = []
        #expect(literals.subtracting(emitted).subtracting(pruneOnly).isEmpty, "not reached: \(literals.subtracting(emitted).sorted())")
    }

    @Test("every operation the service clients and ReconcileKit name is in the catalog")
    func sourcesAreCatalogued() throws {
        let clients: [(String, String)] = [
            ("kinesis", "Sources/AWSClient/Kinesis/KinesisClient.swift"),
            ("cloudformation", "Sources/AWSClient/CloudFormation/CloudFormationClient.swift"),
            ("sts", "Sources/AWSClient/STS/STSClient.swift"),
        ]
        var checked = 0
        for (service, path) in clients {
            let text = try String(contentsOf: PackagePaths.root.appendingPathComponent(path), encoding: .utf8)
            for operation in Self.matches(#"send\("([A-Za-z]+)""#, in: text) {
                checked += 1
                #expect(AWSOperationCatalog.entry(for: "\(service):\(operation)") != nil, "\(service):\(operation) (\(path)) missing")
            }
        }
        #expect(checked >= 10, "the pattern should find the clients' operations")
        let kit = try Self.sources(under: "Sources/ReconcileKit")
        for operation in Self.matches(#""((?:kinesis|cloudformation|sts):[A-Z][A-Za-z]+)""#, in: kit) {
            #expect(AWSOperationCatalog.entry(for: operation) != nil, "\(operation) missing")
        }
    }

    @Test("the reader's reads, the applier's waits and the verifier's calls are in the catalog")
    func readsAreCatalogued() {
        var operations = Set(StreamVerifier.operations + [Applier.referenceResolution])
        for call in LiveStateReader.calls(desired: Self.rich, regions: Self.regions(Self.rich), discoverUndeclared: true, readAllConsumers: true) {
            operations.insert(call.operation)
        }
        for entry in AWSOperationCatalog.entries.keys { operations.formUnion(Applier.followUpOperations(of: entry)) }
        for handler in AWSOperationCatalog.Handler.allCases {
            operations.formUnion(AWSOperationCatalog.streamHandlerPermissions[handler] ?? [])
            operations.formUnion(AWSOperationCatalog.consumerHandlerPermissions[handler] ?? [])
        }
        for operation in operations { #expect(AWSOperationCatalog.entry(for: operation) != nil, "\(operation) missing") }
    }

    @Test("the plan policy is read-only; no action is a wildcard; declared resources are scoped by ARN")
    func planPolicyIsReadOnly() throws {
        let statements = try PolicyGenerator.statements(
            desired: Self.rich, regions: Self.regions(Self.rich), account: Self.account, commands: [.plan])
        let actions = Set(statements.flatMap(\.actions))
        let writes = ["Create", "Update", "Delete", "Put", "Register", "Deregister", "Add", "Remove", "Start", "Stop", "Increase", "Decrease", "Enable", "Disable"]
        for action in actions {
            let name = action.split(separator: ":").last.map(String.init) ?? action
            #expect(!writes.contains { name.hasPrefix($0) }, "\(action) is a write")
            #expect(!action.contains("*"))
        }
        let streamStatement = try #require(statements.first { $0.sid == "ReadDeclaredStreams" })
        #expect(streamStatement.resources.contains("arn:aws:kinesis:eu-central-1:123456789012:stream/direct"))
        #expect(statements.first { $0.sid == "ReadDeclaredStacks" }?.resources == ["arn:aws:cloudformation:eu-central-1:123456789012:stack/s/*"])
        // Only the listings with no resource type are account-wide.
        for statement in statements where statement.resources.contains("*") {
            #expect(Set(statement.actions) == ["kinesis:ListStreams", "cloudformation:DescribeStacks"])
        }
    }

    @Test("apply adds the writes, the waits and what CloudFormation calls for the stack's members")
    func applyPolicy() throws {
        let statements = try PolicyGenerator.statements(
            desired: Self.rich, regions: Self.regions(Self.rich), account: Self.account, commands: [.apply])
        let bySid = Dictionary(uniqueKeysWithValues: statements.map { ($0.sid, $0) })
        #expect(bySid["ApplyStacks"]?.actions == [
            "cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStackEvents",
            "cloudformation:DescribeStacks", "cloudformation:UpdateStack", "cloudformation:UpdateTerminationProtection",
        ])
        let streams = try #require(bySid["ApplyStreams"])
        #expect(streams.actions.contains("kinesis:CreateStream") && streams.actions.contains("kinesis:UpdateStreamMode"))
        #expect(!streams.actions.contains("kinesis:DeleteStream"))
        #expect(bySid["ApplyConsumers"]?.resources.contains("arn:aws:kinesis:eu-central-1:123456789012:stream/direct/consumer/c1:*") == true)
        let onBehalf = try #require(bySid["CloudFormationCallsKinesisForStackStreams"])
        #expect(onBehalf.resources == ["arn:aws:kinesis:eu-central-1:123456789012:stream/member"])
        #expect(onBehalf.actions.contains("kinesis:CreateStream"))
        #expect(bySid["VerifyPutsAndReadsBackATestRecord"] == nil)
        let rendered = PolicyGenerator.render(statements)
        let document = try JSONValue.parse(Data(rendered.utf8))
        #expect(document["Version"]?.stringValue == "2012-10-17")
        #expect(rendered.hasPrefix("{\n  \"Version\": \"2012-10-17\""))
    }

    @Test("an account id must be 12 digits")
    func badAccount() {
        #expect(throws: PolicyError.self) {
            _ = try PolicyGenerator.statements(desired: Self.rich, regions: Self.regions(Self.rich), account: "12", commands: [.plan])
        }
    }

    static func sources(under folder: String) throws -> String {
        let root = PackagePaths.root.appendingPathComponent(folder)
        var text = ""
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        for file in files.sorted() where file.hasSuffix(".swift") {
            text += try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8) + "\n"
        }
        return text
    }

    static func matches(_ pattern: String, in text: String) -> Set<String> {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        })
    }
}
