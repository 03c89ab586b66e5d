import AWSClient
import Formats

/// A stack's Kinesis resources sorted into Stream / StreamConsumer documents and the
/// resources that stay pass-through, with a note on each Kinesis resource that stays.
struct StackMembers {
    var documents: [YAMLValue] = []
    var passThrough: [String: JSONValue] = [:]
    /// One sentence per Kinesis resource kept in spec.template: which property, and why.
    var notes: [String] = []

    init(resources: [String: JSONValue], stack: String, evaluator: TemplateConditionEvaluator) {
        let conversion = StackStreamConversion(evaluator: evaluator)
        var streamNames: [String: String] = [:]
        // Where each converted member's document is, to give it the resource policy that targets it.
        var documentIndex: [String: Int] = [:]
        let sorted = resources.sorted { $0.key < $1.key }
        for (logicalId, resource) in sorted {
            switch resource["Type"]?.stringValue ?? "" {
            case ManifestExporter.kinesisStreamType:
                switch conversion.convert(resource) {
                case .success(let stream):
                    streamNames[logicalId] = stream.name
                    documentIndex[logicalId] = documents.count
                    documents.append(
                        ManifestExporter.streamDocument(
                            name: stream.name, stack: stack, logicalId: logicalId, region: nil,
                            attributes: stream.attributes, deletionPolicy: stream.deletionPolicy))
                case .failure(let refusal):
                    keep(logicalId, resource, "\(refusal.property): \(refusal.reason)")
                }
            case ManifestExporter.kinesisConsumerType:
                continue
            default:
                passThrough[logicalId] = resource
            }
        }
        let consumers = sorted.filter { $0.value["Type"]?.stringValue == ManifestExporter.kinesisConsumerType }
        for (logicalId, resource) in consumers {
            let properties = resource["Properties"]
            if let consumerName = properties?["ConsumerName"]?.stringValue,
                let streamLogicalId = properties?["StreamARN"]?["Fn::GetAtt"]?.arrayValue?.first?.stringValue,
                let streamName = streamNames[streamLogicalId]
            {
                documentIndex[logicalId] = documents.count
                var tags: [String: String] = [:]
                for tag in properties?["Tags"]?.arrayValue ?? [] {
                    if let key = tag["Key"]?.stringValue { tags[key] = tag["Value"]?.stringValue ?? "" }
                }
                documents.append(
                    ManifestExporter.consumerDocument(
                        consumerName, stream: streamName, logicalId: logicalId, tags: tags))
            } else {
                keep(
                    logicalId, resource,
                    "its ConsumerName is not literal or its StreamARN is not the Arn of a Stream document")
            }
        }
        adoptResourcePolicies(documentIndex)
    }

    /// An `AWS::Kinesis::ResourcePolicy` that synthesis would write for a converted member (its logical id,
    /// `!GetAtt` of the member, a plain document) becomes that member's `spec.resourcePolicy`.
    private mutating func adoptResourcePolicies(_ documentIndex: [String: Int]) {
        for (logicalId, resource) in passThrough.sorted(by: { $0.key < $1.key }) {
            guard resource["Type"]?.stringValue == "AWS::Kinesis::ResourcePolicy",
                resource.objectValue.map({ Set($0.keys) == ["Type", "Properties"] }) == true,
                let target = resource["Properties"]?["ResourceArn"]?["Fn::GetAtt"]?.arrayValue?.first?.stringValue,
                TemplateSynthesizer.policyLogicalId(of: target) == logicalId, let index = documentIndex[target],
                let document = resource["Properties"]?["ResourcePolicy"], Self.isPlainPolicy(document)
            else { continue }
            documents[index] = ManifestExporter.adding(ResourcePolicy(document: document), to: documents[index])
            passThrough[logicalId] = nil
        }
    }

    /// Only objects, lists and strings, and no intrinsic function: what a manifest's policy reads back as.
    static func isPlainPolicy(_ value: JSONValue) -> Bool {
        switch value {
        case .string: true
        case .array(let items): items.allSatisfy(isPlainPolicy)
        case .object(let members):
            members.allSatisfy { !$0.key.hasPrefix("Fn::") && $0.key != "Ref" && isPlainPolicy($0.value) }
        default: false
        }
    }

    private mutating func keep(_ logicalId: String, _ resource: JSONValue, _ why: String) {
        passThrough[logicalId] = resource
        let type = resource["Type"]?.stringValue ?? "?"
        notes.append("\(logicalId) (\(type)) stays in spec.template: \(why).")
    }
}
