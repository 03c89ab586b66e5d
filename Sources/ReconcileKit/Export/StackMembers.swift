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
        let sorted = resources.sorted { $0.key < $1.key }
        for (logicalId, resource) in sorted {
            switch resource["Type"]?.stringValue ?? "" {
            case ManifestExporter.kinesisStreamType:
                switch conversion.convert(resource) {
                case .success(let stream):
                    streamNames[logicalId] = stream.name
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
    }

    private mutating func keep(_ logicalId: String, _ resource: JSONValue, _ why: String) {
        passThrough[logicalId] = resource
        let type = resource["Type"]?.stringValue ?? "?"
        notes.append("\(logicalId) (\(type)) stays in spec.template: \(why).")
    }
}
