import AWSClient
import Formats

/// Botocore-shaped parameters, as plan documents write them and AWS takes them.
extension StepAction {
    /// The parameters as the plan document shows them: a reference written as `${…}`.
    public var documentParameters: JSONValue {
        parameters { $0.documentText }
    }

    /// The request AWS receives, with each reference replaced by `resolve`'s value.
    func request(resolving resolve: (StepReference) -> String) -> JSONValue {
        parameters(resolve)
    }

    private func parameters(_ reference: (StepReference) -> String) -> JSONValue {
        func arn(_ target: StreamTarget) -> JSONValue {
            switch target {
            case .arn(let arn, _): .string(arn)
            case .created(let stream): .string(reference(.streamARN(stream: stream)))
            }
        }
        switch self {
        case .createStream(let stream, let mode, let shardCount, let tags, let maxRecordSize, let warmThroughput):
            var parameters: [String: JSONValue] = [
                "StreamName": .string(stream), "StreamModeDetails": ["StreamMode": .string(mode.rawValue)],
                "Tags": TagParameters.kinesisMap(tags)
            ]
            if let shardCount { parameters["ShardCount"] = .int(shardCount) }
            if let maxRecordSize { parameters["MaxRecordSizeInKiB"] = .int(maxRecordSize) }
            if let warmThroughput { parameters["WarmThroughputMiBps"] = .int(warmThroughput) }
            return .object(parameters)
        case .deleteStream(let stream):
            return ["StreamName": .string(stream), "EnforceConsumerDeletion": true]
        case .updateShardCount(let stream, let target):
            return ["StreamName": .string(stream), "TargetShardCount": .int(target), "ScalingType": "UNIFORM_SCALING"]
        case .increaseRetention(let stream, let hours), .decreaseRetention(let stream, let hours):
            return ["StreamName": .string(stream), "RetentionPeriodHours": .int(hours)]
        case .startEncryption(let stream, let key), .stopEncryption(let stream, let key):
            return ["StreamName": .string(stream), "EncryptionType": "KMS", "KeyId": .string(key)]
        case .updateStreamMode(let target, let mode):
            return ["StreamARN": arn(target), "StreamModeDetails": ["StreamMode": .string(mode.rawValue)]]
        case .enableMonitoring(let stream, let metrics), .disableMonitoring(let stream, let metrics):
            return ["StreamName": .string(stream), "ShardLevelMetrics": .array(metrics.map(JSONValue.string))]
        case .addTags(let stream, let tags):
            return ["StreamName": .string(stream), "Tags": TagParameters.kinesisMap(tags)]
        case .removeTags(let stream, let keys):
            return ["StreamName": .string(stream), "TagKeys": .array(keys.map(JSONValue.string))]
        case .registerConsumer(let target, let consumer, let tags):
            var parameters: [String: JSONValue] = ["StreamARN": arn(target), "ConsumerName": .string(consumer)]
            if !tags.isEmpty { parameters["Tags"] = TagParameters.kinesisMap(tags) }
            return .object(parameters)
        case .updateMaxRecordSize(let target, let kibibytes):
            return ["StreamARN": arn(target), "MaxRecordSizeInKiB": .int(kibibytes)]
        case .updateWarmThroughput(let target, let mebibytesPerSecond):
            return ["StreamARN": arn(target), "WarmThroughputMiBps": .int(mebibytesPerSecond)]
        case .tagConsumer(let consumerARN, let tags):
            return ["ResourceARN": .string(consumerARN), "Tags": TagParameters.kinesisMap(tags)]
        case .untagConsumer(let consumerARN, let keys):
            return ["ResourceARN": .string(consumerARN), "TagKeys": .array(keys.map(JSONValue.string))]
        case .deregisterConsumer(let consumerARN):
            return ["ConsumerARN": .string(consumerARN)]
        case .createStack(let request), .updateStack(let request):
            return .object(request.requestParameters)
        case .deleteStack(let stack):
            return ["StackName": .string(stack)]
        case .updateTerminationProtection(let stack, let enabled):
            return ["StackName": .string(stack), "EnableTerminationProtection": .bool(enabled)]
        }
    }
}

extension StackRequest {
    /// Everything but the token: what the token is derived from.
    var parametersWithoutToken: [String: JSONValue] {
        var parameters: [String: JSONValue] = [
            "StackName": .string(stack), "TemplateBody": .string(templateBody),
            "Tags": TagParameters.cloudFormationList(tags)
        ]
        if !self.parameters.isEmpty {
            parameters["Parameters"] = .array(
                self.parameters.sorted { $0.key < $1.key }.map {
                    ["ParameterKey": .string($0.key), "ParameterValue": .string($0.value)]
                })
        }
        if !capabilities.isEmpty { parameters["Capabilities"] = .array(capabilities.sorted().map(JSONValue.string)) }
        if enableTerminationProtection { parameters["EnableTerminationProtection"] = true }
        return parameters
    }

    var requestParameters: [String: JSONValue] {
        parametersWithoutToken.merging(["ClientRequestToken": .string(clientRequestToken)]) { own, _ in own }
    }
}
