import Testing

@testable import ReconcileKit

@Suite("Manifest validation rules")
struct ManifestValidationTests {
    @Test("a valid stack, stream and consumer load into the desired state")
    func validManifestsLoad() throws {
        let desired = try ManifestLoader.load(
            text: """
                apiVersion: reconcile/v1
                kind: Stack
                metadata:
                  name: infra
                  region: eu-central-1
                spec:
                  description: streams
                  tags: {team: data, cost: 1.0}
                ---
                ---
                apiVersion: reconcile/v1
                kind: Stream
                metadata:
                  name: orders
                  stack: infra
                spec:
                  shardCount: 2
                  encryption: {type: KMS, keyId: alias/aws/kinesis}
                  shardLevelMetrics: [ALL]
                  deletionPolicy: Retain
                ---
                apiVersion: reconcile/v1
                kind: StreamConsumer
                metadata:
                  name: reader
                spec:
                  stream: orders
                """, file: "m.yaml")
        #expect(desired.stacks.map(\.name) == ["infra"])
        #expect(desired.stacks.first?.tags == ["team": "data", "cost": "1.0"])
        let stream = try #require(desired.streams.first)
        #expect(stream.shardCount == 2)
        #expect(stream.retentionPeriodHours == 24)
        #expect(stream.mode == .provisioned)
        #expect(stream.encryption == .kms(keyId: "alias/aws/kinesis"))
        #expect(stream.shardLevelMetrics == StreamSpec.allShardLevelMetrics)
        #expect(stream.deletionPolicy == .retain)
        #expect(stream.logicalId == "Orders")
        #expect(stream.location == SourceLocation(file: "m.yaml", line: 14, column: 9))
        #expect(desired.consumers.map(\.stream) == ["orders"])
    }

    @Test("apiVersion must be reconcile/v1, reported at the value")
    func apiVersion() {
        expectSingleError(
            "apiVersion: v1\nkind: Stack\nmetadata:\n  name: a\n", at: 1, 13, "apiVersion must be 'reconcile/v1'")
    }

    @Test("an unknown kind suggests the closest one")
    func unknownKind() {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Consumer\nmetadata:\n  name: a\n", at: 2, 7,
            "must be one of Stack, Stream, StreamConsumer")
    }

    @Test("metadata.name is required, reported at the metadata mapping")
    func nameRequired() {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  region: eu-west-1\n", at: 4, 3,
            "missing required key 'metadata.name'")
    }

    @Test("a Stream needs a spec; a Stack does not")
    func specRequiredForStream() throws {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Stream\nmetadata:\n  name: a\n", at: 1, 1, "missing required key 'spec'")
        #expect(diagnostics(of: "apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: a\n").isEmpty)
    }

    @Test("a misspelt key is reported at the key with the right spelling")
    func misspeltKey() {
        expectSingleError(
            streamHeader + "  shardCount: 1\n  retentionHours: 48\n", at: 7, 3, "did you mean 'retentionPeriodHours'?")
    }

    @Test("shardCount outside 1...100000 is reported at the value")
    func shardCountRange() {
        expectSingleError(streamHeader + "  shardCount: 100001\n", at: 6, 15, "between 1 and 100000, found 100001")
    }

    @Test("shardCount must be an integer, not a string")
    func shardCountType() {
        expectSingleError(streamHeader + "  shardCount: \"1\"\n", at: 6, 15, "must be an integer")
    }

    @Test("retentionPeriodHours outside 24...8760 is reported at the value")
    func retentionRange() {
        expectSingleError(
            streamHeader + "  shardCount: 1\n  retentionPeriodHours: 8761\n", at: 7, 25, "between 24 and 8760")
    }

    @Test("stack names follow CloudFormation's pattern")
    func stackName() {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: my_stack\n", at: 4, 9, "must start with a letter"
        )
    }

    @Test("stream names follow Kinesis' pattern")
    func streamName() {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Stream\nmetadata:\n  name: a b\nspec:\n  shardCount: 1\n", at: 4, 9,
            "stream name 'a b'")
    }

    @Test("PROVISIONED streams need shardCount")
    func provisionedNeedsShards() {
        expectSingleError(
            streamHeader + "  streamMode: PROVISIONED\n", at: 6, 15, "missing required key 'spec.shardCount'")
    }

    @Test("ON_DEMAND streams reject shardCount at the key")
    func onDemandRejectsShards() {
        expectSingleError(
            streamHeader + "  streamMode: ON_DEMAND\n  shardCount: 1\n", at: 7, 3,
            "not allowed with streamMode ON_DEMAND")
    }

    @Test("KMS encryption needs a keyId")
    func kmsNeedsKey() {
        expectSingleError(
            streamHeader + "  shardCount: 1\n  encryption: {type: KMS}\n", at: 7, 22, "requires spec.encryption.keyId")
    }

    @Test("NONE encryption rejects a keyId at the key")
    func noneRejectsKey() {
        expectSingleError(
            streamHeader + "  shardCount: 1\n  encryption: {type: NONE, keyId: k}\n", at: 7, 28,
            "not allowed with encryption type NONE")
    }

    @Test("ALL mixed with other metrics is an error at ALL")
    func allMixed() {
        expectSingleError(
            streamHeader + "  shardCount: 1\n  shardLevelMetrics: [IncomingBytes, ALL]\n", at: 7, 38,
            "ALL cannot be combined")
    }

    @Test("deletionPolicy is Delete or Retain")
    func deletionPolicy() {
        expectSingleError(
            streamHeader + "  shardCount: 1\n  deletionPolicy: retain\n", at: 7, 19, "did you mean 'Retain'")
    }

    @Test("reconcile: tag keys are reserved for the project tag")
    func reservedTag() {
        expectSingleError(
            streamHeader + "  shardCount: 1\n  tags: {reconcile:project: x}\n", at: 7, 10, "managed by reconcile")
    }

    @Test("a 50th declared tag is an error at that tag: reconcile's ownership tag is AWS's 50th")
    func tooManyTags() {
        let tags = (0..<50).map { "    k\($0): v\n" }.joined()
        expectSingleError(
            streamHeader + "  shardCount: 1\n  tags:\n" + tags, at: 57, 5,
            "at most 49 tags may be declared; this is the 50th: AWS allows 50 per stream")
    }

    @Test("49 declared tags load")
    func fortyNineTags() throws {
        let tags = (0..<49).map { "    k\($0): v\n" }.joined()
        let desired = try ManifestLoader.load(text: streamHeader + "  shardCount: 1\n  tags:\n" + tags, file: "t.yaml")
        #expect(desired.streams.first?.tags.count == 49)
    }

    @Test("a stack tag value must not be empty; a stream tag value may")
    func emptyTagValues() throws {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: a\nspec:\n  tags: {empty: ''}\n", at: 6, 17,
            "stack tag value must not be empty")
        let desired = try ManifestLoader.load(
            text: streamHeader + "  shardCount: 1\n  tags: {empty: ''}\n", file: "t.yaml")
        #expect(desired.streams.first?.tags == ["empty": ""])
    }

    @Test("tag characters follow AWS's documented set per service, reported at the offending key or value")
    func tagCharacters() throws {
        expectSingleError(streamHeader + "  shardCount: 1\n  tags: {'a#b': x}\n", at: 7, 10, "contains '#'")
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: a\nspec:\n  tags: {share: 50%}\n", at: 6, 17,
            "contains '%', which AWS does not allow in CloudFormation stack tags")
        let text =
            streamHeader
            + "  shardCount: 1\n  tags: {share: 50%, 'équipe': 'données à jour', path: 'a/b=c+d-e@f:g_h.i'}\n"
        #expect(try ManifestLoader.load(text: text, file: "t.yaml").streams.first?.tags.count == 3)
    }

    @Test("metadata.stack must name a declared Stack")
    func undeclaredStack() {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Stream\nmetadata:\n  name: s\n  stack: nope\nspec:\n  shardCount: 1\n",
            at: 5, 10, "is not a declared Stack")
    }

    @Test("a consumer's stream must be declared")
    func undeclaredStream() {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: StreamConsumer\nmetadata:\n  name: c\nspec:\n  stream: nope\n", at: 6, 11,
            "is not a declared Stream")
    }

    @Test("dependsOn entries must name declared resources")
    func undeclaredDependency() {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: a\n  dependsOn:\n    - Stream/x\n", at: 6, 7,
            "is not a declared resource")
    }

    @Test("dependency cycles through implied edges are reported with the path")
    func impliedCycle() {
        let text = """
            apiVersion: reconcile/v1
            kind: Stack
            metadata:
              name: a
              dependsOn: [StreamConsumer/c]
            ---
            apiVersion: reconcile/v1
            kind: Stream
            metadata: {name: s, stack: a}
            spec: {shardCount: 1}
            ---
            apiVersion: reconcile/v1
            kind: StreamConsumer
            metadata: {name: c}
            spec: {stream: s}
            """
        expectSingleError(text, at: 5, 15, "dependency cycle: Stack/a → StreamConsumer/c → Stream/s → Stack/a")
    }

    @Test("a duplicate address points at the second declaration and names the first")
    func duplicateAddress() {
        let document = "apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: a\n"
        expectSingleError(document + "---\n" + document, at: 9, 9, "first declared at test.yaml:4:9")
    }

    @Test("logical ids may not collide within a stack")
    func logicalIdCollision() {
        let text = """
            apiVersion: reconcile/v1
            kind: Stack
            metadata: {name: a}
            ---
            apiVersion: reconcile/v1
            kind: Stream
            metadata: {name: s1, stack: a, logicalId: Same}
            spec: {shardCount: 1}
            ---
            apiVersion: reconcile/v1
            kind: Stream
            metadata: {name: s2, stack: a, logicalId: Same}
            spec: {shardCount: 1}
            """
        expectSingleError(text, at: 12, 43, "logical id 'Same'")
    }

    @Test("a stack-managed stream's region must equal its stack's")
    func regionMismatch() {
        let text = """
            apiVersion: reconcile/v1
            kind: Stack
            metadata: {name: a, region: eu-west-1}
            ---
            apiVersion: reconcile/v1
            kind: Stream
            metadata: {name: s1, stack: a, region: us-east-1}
            spec: {shardCount: 1}
            """
        expectSingleError(text, at: 7, 40, "differs from stack 'a'")
    }

    @Test("a stack without a region inherits its members' region")
    func regionInherited() throws {
        let desired = try ManifestLoader.load(
            text: """
                apiVersion: reconcile/v1
                kind: Stack
                metadata: {name: a}
                ---
                apiVersion: reconcile/v1
                kind: Stream
                metadata: {name: s1, stack: a, region: us-east-1}
                spec: {shardCount: 1}
                """, file: "r.yaml")
        #expect(desired.stacks.first?.region == "us-east-1")
    }

    @Test("parameters must be declared in the template fragment")
    func undeclaredParameter() {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: a\nspec:\n  parameters: {X: 1}\n", at: 6, 16,
            "parameter 'X' is not declared")
    }

    @Test("template fragments allow only the five sections")
    func templateSections() {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: a\nspec:\n  template:\n    Outputz: {}\n", at: 7,
            5,
            "did you mean 'Outputs'")
    }

    @Test("capabilities come from CloudFormation's list")
    func capabilities() {
        expectSingleError(
            "apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: a\nspec:\n  capabilities: [IAM]\n", at: 6, 18,
            "must be one of CAPABILITY_IAM")
    }

    @Test("every error of every document is reported in one go")
    func allErrorsReported() {
        let found = diagnostics(of: streamHeader + "  shardCount: 0\n  retentionPeriodHours: 1\n  bogus: 1\n")
        #expect(found.count == 3)
    }

    @Test("YAML syntax errors carry the parser's location")
    func syntaxError() {
        let found = diagnostics(of: "a: [1, 2\nb: 3\n")
        #expect(found.count == 1)
        #expect(found.first?.message.contains("YAML") == true)
    }

    @Test("a duplicate key is reported at its second occurrence")
    func duplicateKey() {
        expectSingleError(streamHeader + "  shardCount: 1\n  shardCount: 1\n", at: 7, 3, "duplicate key 'shardCount'")
    }

    @Test("the diagnostic renders file:line:col, the source line and a caret")
    func rendering() {
        let found = diagnostics(of: streamHeader + "  shardCount: 0\n", file: "manifests/s.yaml")
        #expect(
            found.first?.rendered() == """
                manifests/s.yaml:6:15: error: spec.shardCount must be between 1 and 100000, found 0
                  shardCount: 0
                              ^
                """)
    }

    @Test("did-you-mean uses edit distance")
    func suggestion() {
        #expect(
            Suggestion.closest(to: "retentionHours", among: ManifestVocabulary.streamSpecKeys) == "retentionPeriodHours"
        )
        #expect(Suggestion.closest(to: "zzz", among: ManifestVocabulary.streamSpecKeys) == nil)
    }
}
