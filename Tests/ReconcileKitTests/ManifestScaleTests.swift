import Testing

@testable import ReconcileKit

/// Loading and validating stays linear. 10,000 streams in 100 stacks plus 5,000
/// consumers with dependsOn load in one go; a quadratic step there (a search per
/// declaration) would make this test take minutes in a debug build.
@Suite("Manifests at scale")
struct ManifestScaleTests {
    static func manifests(stacks: Int, streamsPerStack: Int, directStreams: Int) -> String {
        var documents: [String] = []
        for stack in 0..<stacks {
            documents.append("apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: stack-\(stack)\n")
            for member in 0..<streamsPerStack {
                documents.append(
                    """
                    apiVersion: reconcile/v1
                    kind: Stream
                    metadata:
                      name: s-\(stack)-\(member)
                      stack: stack-\(stack)
                    spec:
                      shardCount: 1
                      tags: {team: data}

                    """)
            }
        }
        for index in 0..<directStreams {
            documents.append(
                """
                apiVersion: reconcile/v1
                kind: Stream
                metadata:
                  name: d-\(index)
                spec:
                  shardCount: 1
                ---
                apiVersion: reconcile/v1
                kind: StreamConsumer
                metadata:
                  name: c-\(index)
                  dependsOn: [Stream/d-\(index == 0 ? 0 : index - 1)]
                spec:
                  stream: d-\(index)

                """)
        }
        return documents.joined(separator: "---\n")
    }

    @Test("10,000 streams and 5,000 consumers with dependsOn load, each dependsOn on its own consumer")
    func tenThousandResources() throws {
        let desired = try ManifestLoader.load(
            text: Self.manifests(stacks: 100, streamsPerStack: 50, directStreams: 5_000), file: "big.yaml")
        #expect(desired.stacks.count == 100)
        #expect(desired.streams.count == 10_000)
        #expect(desired.consumers.count == 5_000)
        #expect(desired.streams(inStack: "stack-7").count == 50)
        #expect(desired.consumer(named: "c-4321")?.dependsOn == [.stream("d-4320")])
        #expect(desired.consumer(named: "c-0")?.dependsOn == [.stream("d-0")])
    }
}
