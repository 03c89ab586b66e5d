import AWSClient
import Formats

/// Why a plan document's step does not read back as an action.
public struct StepDecodingError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var reason: String

    public var description: String { "step \(operation): \(reason)" }
}

/// Reads a plan document's step (formatVersion 1) back into an action. Only `StreamARN` and a policy
/// step's `ResourceARN` may hold a reference (`${Stream/NAME.StreamARN}`,
/// `${Stream/NAME/consumer/CONSUMER.ConsumerARN}`); no other value is read as one.
extension StepAction {
    public init(operation name: String, parameters: JSONValue) throws(StepDecodingError) {
        guard let operation = AWSOperation.named(name) else {
            throw StepDecodingError(operation: name, reason: "not an operation reconcile runs")
        }
        let reader = ParameterReader(operation: name, parameters: parameters)
        self = try Self.read(operation, reader)
    }

    private static func read(_ operation: AWSOperation, _ p: ParameterReader) throws(StepDecodingError) -> StepAction {
        switch operation {
        case .createStream:
            let mode = try p.mode(p.object("StreamModeDetails")["StreamMode"])
            return .createStream(
                stream: try p.string("StreamName"), mode: mode, shardCount: p.optionalInt("ShardCount"),
                tags: try p.stringMap("Tags"), maxRecordSizeKiB: p.optionalInt("MaxRecordSizeInKiB"),
                warmThroughputMiBps: p.optionalInt("WarmThroughputMiBps"))
        case .deleteStream: return .deleteStream(stream: try p.string("StreamName"))
        case .updateShardCount:
            return .updateShardCount(stream: try p.string("StreamName"), target: try p.int("TargetShardCount"))
        case .increaseStreamRetentionPeriod:
            return .increaseRetention(stream: try p.string("StreamName"), hours: try p.int("RetentionPeriodHours"))
        case .decreaseStreamRetentionPeriod:
            return .decreaseRetention(stream: try p.string("StreamName"), hours: try p.int("RetentionPeriodHours"))
        case .startStreamEncryption:
            return .startEncryption(stream: try p.string("StreamName"), keyId: try p.string("KeyId"))
        case .stopStreamEncryption:
            return .stopEncryption(stream: try p.string("StreamName"), keyId: try p.string("KeyId"))
        case .updateStreamMode:
            let mode = try p.mode(p.object("StreamModeDetails")["StreamMode"])
            return .updateStreamMode(stream: try p.streamTarget(), mode: mode)
        case .enableEnhancedMonitoring:
            return .enableMonitoring(stream: try p.string("StreamName"), metrics: try p.strings("ShardLevelMetrics"))
        case .disableEnhancedMonitoring:
            return .disableMonitoring(stream: try p.string("StreamName"), metrics: try p.strings("ShardLevelMetrics"))
        case .addTagsToStream: return .addTags(stream: try p.string("StreamName"), tags: try p.stringMap("Tags"))
        case .removeTagsFromStream:
            return .removeTags(stream: try p.string("StreamName"), keys: try p.strings("TagKeys"))
        case .registerStreamConsumer:
            let tags = p.parameters["Tags"] == nil ? [:] : try p.stringMap("Tags")
            return .registerConsumer(stream: try p.streamTarget(), consumer: try p.string("ConsumerName"), tags: tags)
        case .deregisterStreamConsumer: return .deregisterConsumer(consumerARN: try p.string("ConsumerARN"))
        case .putResourcePolicy:
            guard let policy = ResourcePolicy(policyText: try p.string("Policy")) else {
                throw p.fail("Policy must be a JSON policy document")
            }
            return .putResourcePolicy(target: try p.policyTarget(), policy: policy)
        case .deleteResourcePolicy: return .deleteResourcePolicy(target: try p.policyTarget())
        case .updateMaxRecordSize:
            return .updateMaxRecordSize(stream: try p.streamTarget(), kibibytes: try p.int("MaxRecordSizeInKiB"))
        case .updateStreamWarmThroughput:
            return .updateWarmThroughput(
                stream: try p.streamTarget(), mebibytesPerSecond: try p.int("WarmThroughputMiBps"))
        case .tagResource:
            return .tagConsumer(consumerARN: try p.string("ResourceARN"), tags: try p.stringMap("Tags"))
        case .untagResource:
            return .untagConsumer(consumerARN: try p.string("ResourceARN"), keys: try p.strings("TagKeys"))
        case .createStack: return .createStack(try p.stackRequest())
        case .updateStack: return .updateStack(try p.stackRequest())
        case .deleteStack: return .deleteStack(stack: try p.string("StackName"))
        case .updateTerminationProtection:
            return .updateTerminationProtection(
                stack: try p.string("StackName"), enabled: try p.bool("EnableTerminationProtection"))
        default:
            throw StepDecodingError(operation: operation.description, reason: "not an operation a plan step runs")
        }
    }
}

/// Typed access to one step's parameters, failing with the parameter's name.
private struct ParameterReader {
    let operation: String
    let parameters: JSONValue

    func fail(_ reason: String) -> StepDecodingError { StepDecodingError(operation: operation, reason: reason) }

    func string(_ key: String) throws(StepDecodingError) -> String {
        guard let value = parameters[key]?.stringValue else { throw fail("\(key) must be a string") }
        return value
    }

    func int(_ key: String) throws(StepDecodingError) -> Int {
        guard let value = parameters[key]?.intValue else { throw fail("\(key) must be an integer") }
        return value
    }

    func optionalInt(_ key: String) -> Int? { parameters[key]?.intValue }

    func bool(_ key: String) throws(StepDecodingError) -> Bool {
        guard case .bool(let value)? = parameters[key] else { throw fail("\(key) must be true or false") }
        return value
    }

    func object(_ key: String) throws(StepDecodingError) -> JSONValue {
        guard let value = parameters[key], value.objectValue != nil else { throw fail("\(key) must be an object") }
        return value
    }

    func strings(_ key: String) throws(StepDecodingError) -> [String] {
        let items = parameters[key]?.arrayValue?.compactMap(\.stringValue)
        guard let items, items.count == parameters[key]?.arrayValue?.count else {
            throw fail("\(key) must be a list of strings")
        }
        return items
    }

    func stringMap(_ key: String) throws(StepDecodingError) -> [String: String] {
        let members = try object(key).objectValue ?? [:]
        let map = members.compactMapValues(\.stringValue)
        guard map.count == members.count else { throw fail("\(key) must map strings to strings") }
        return map
    }

    func mode(_ value: JSONValue?) throws(StepDecodingError) -> StreamMode {
        guard let text = value?.stringValue, let mode = StreamMode(rawValue: text) else {
            throw fail("StreamModeDetails.StreamMode must be PROVISIONED or ON_DEMAND")
        }
        return mode
    }

    /// `StreamARN`: an ARN, or the document's reference to a stream the same apply creates.
    func streamTarget() throws(StepDecodingError) -> StreamTarget {
        let text = try string("StreamARN")
        if case .streamARN(let stream)? = StepReference(documentText: text) { return .created(stream: stream) }
        // arn:aws:kinesis:REGION:ACCOUNT:stream/NAME
        return .arn(text, stream: text.split(separator: "/").last.map(String.init) ?? text)
    }

    /// `ResourceARN`: a stream or consumer ARN, or the document's reference to one the same apply creates.
    func policyTarget() throws(StepDecodingError) -> PolicyTarget {
        let text = try string("ResourceARN")
        switch StepReference(documentText: text) {
        case .streamARN(let stream)?: return .stream(.created(stream: stream))
        case .consumerARN(let stream, let consumer)?: return .consumer(.created(stream: stream, consumer: consumer))
        case nil: break
        }
        // arn:aws:kinesis:REGION:ACCOUNT:stream/NAME[/consumer/CONSUMER:EPOCH]
        let parts = text.split(separator: "/").map(String.init)
        if parts.count >= 4, parts[parts.count - 2] == "consumer" {
            let consumer = parts[parts.count - 1].split(separator: ":").first.map(String.init) ?? ""
            return .consumer(.arn(text, stream: parts[1], consumer: consumer))
        }
        return .stream(.arn(text, stream: parts.last ?? text))
    }

    func stackRequest() throws(StepDecodingError) -> StackRequest {
        var tags: [String: String] = [:]
        for tag in parameters["Tags"]?.arrayValue ?? [] {
            guard let key = tag["Key"]?.stringValue, let value = tag["Value"]?.stringValue else {
                throw fail("Tags must be Key/Value pairs")
            }
            tags[key] = value
        }
        var stackParameters: [String: String] = [:]
        for parameter in parameters["Parameters"]?.arrayValue ?? [] {
            guard let key = parameter["ParameterKey"]?.stringValue, let value = parameter["ParameterValue"]?.stringValue
            else { throw fail("Parameters must be ParameterKey/ParameterValue pairs") }
            stackParameters[key] = value
        }
        var capabilities: [String] = []
        if parameters["Capabilities"] != nil { capabilities = try strings("Capabilities") }
        var protection = false
        if parameters["EnableTerminationProtection"] != nil { protection = try bool("EnableTerminationProtection") }
        return StackRequest(
            stack: try string("StackName"), templateBody: try string("TemplateBody"), tags: tags,
            parameters: stackParameters, capabilities: capabilities, enableTerminationProtection: protection,
            clientRequestToken: try string("ClientRequestToken"))
    }
}
