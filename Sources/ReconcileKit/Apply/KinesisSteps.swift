import AWSClient
import Formats
import Foundation

/// One step being performed, with what it needs to call AWS, wait and report.
struct StepContext: Sendable {
    let applier: Applier
    let step: PlanStep
    let operation: AWSOperation
    let parameters: JSONValue
    let emit: Applier.Emit

    var streamName: String { parameters["StreamName"]?.stringValue ?? step.address.name }

    /// Calls a Kinesis write, treating "already done" answers (a retry that had in fact
    /// gone through, a stream still UPDATING) the way a careful operator would.
    func performKinesis() async throws -> String? {
        let kinesis = try awsCall { try applier.client.kinesis(region: step.region) }
        let deadline = ContinuousClock.now + applier.timeout
        var response: JSONValue = .object([:])
        var note: String?
        sending: while true {
            do {
                response = try await kinesis.send(operation, parameters)
                break sending
            } catch let error as AWSError {
                switch (operation, error.kinesisCode) {
                case (.createStream, .resourceInUse):
                    // Our own earlier attempt may have created it: accept it if it is ours or untagged.
                    let planned = parameters["Tags"]?[OwnershipTag.key]?.stringValue
                    if let tags = try? await kinesis.listTagsForStream(streamName: streamName),
                        tags[OwnershipTag.key] == nil || tags[OwnershipTag.key] == planned
                    {
                        note = "stream already existed (an earlier attempt created it)"
                        break sending
                    }
                    throw ApplyError.aws(error)
                case (.registerStreamConsumer, .resourceInUse):
                    note = "consumer was already registered"
                    break sending
                case (.deleteStream, .resourceNotFound), (.deregisterStreamConsumer, .resourceNotFound):
                    return "already gone"
                case (_, .resourceInUse):
                    // The stream is busy with an earlier change: wait for it, then try again.
                    try await waitForStream(kinesis, until: deadline, description: "to finish its previous change")
                    if try await effectInPlace(kinesis) { return "already in place" }
                    continue sending
                default:
                    if try await effectInPlace(kinesis) { return "already in place" }
                    throw ApplyError.aws(error)
                }
            } catch {
                throw ApplyError.wrapping(error)
            }
        }
        switch operation {
        case .addTagsToStream, .removeTagsFromStream:
            return note
        case .deleteStream:
            try await waitUntil(deadline, "Stream/\(streamName) to be deleted") {
                try await kinesis.describeStreamSummary(streamName: streamName) == nil ? nil : "DELETING"
            }
        case .registerStreamConsumer:
            let consumerName = parameters["ConsumerName"]?.stringValue ?? step.address.name
            let streamARN = parameters["StreamARN"]?.stringValue ?? ""
            var consumerARN = response["Consumer"]?["ConsumerARN"]?.stringValue
            if consumerARN == nil {
                consumerARN = try await kinesis.listStreamConsumers(streamARN: streamARN).first { $0.name == consumerName }?.arn
            }
            if let consumerARN {
                try await waitUntil(deadline, "\(step.address) to become ACTIVE") {
                    let status = try await kinesis.describeStreamConsumer(consumerARN: consumerARN)?.status ?? "CREATING"
                    return status == "ACTIVE" ? nil : status
                }
            }
        case .deregisterStreamConsumer:
            if let consumerARN = parameters["ConsumerARN"]?.stringValue {
                try await waitUntil(deadline, "\(step.address) to be deregistered") {
                    try await kinesis.describeStreamConsumer(consumerARN: consumerARN) == nil ? nil : "DELETING"
                }
            }
        default:
            try await waitForStream(kinesis, until: deadline, description: "to become ACTIVE")
        }
        return note
    }

    func waitForStream(_ kinesis: KinesisClient, until deadline: ContinuousClock.Instant, description: String) async throws {
        try await waitUntil(deadline, "Stream/\(streamName) \(description)") {
            guard let summary = try await kinesis.describeStreamSummary(streamName: streamName) else { return "missing" }
            return summary.streamStatus == "ACTIVE" ? nil : summary.streamStatus
        }
    }

    /// True when the stream already has what this step asks for (so a repeat is unnecessary).
    func effectInPlace(_ kinesis: KinesisClient) async throws -> Bool {
        guard let summary = try await kinesis.describeStreamSummary(streamName: streamName) else { return false }
        switch operation {
        case .updateShardCount:
            return summary.streamStatus == "ACTIVE" && summary.openShardCount == parameters["TargetShardCount"]?.intValue
        case .increaseStreamRetentionPeriod, .decreaseStreamRetentionPeriod:
            return summary.retentionPeriodHours == parameters["RetentionPeriodHours"]?.intValue
        case .updateStreamMode:
            return summary.streamMode == parameters["StreamModeDetails"]?["StreamMode"]?.stringValue
        case .startStreamEncryption:
            return summary.encryptionType == "KMS" && summary.keyId == parameters["KeyId"]?.stringValue
        case .stopStreamEncryption:
            return summary.encryptionType != "KMS"
        default:
            return false
        }
    }

    /// Polls `check` (nil = done, else the current status) until done or the deadline.
    func waitUntil(
        _ deadline: ContinuousClock.Instant, _ what: String, check: @Sendable () async throws -> String?
    ) async throws {
        var attempt = 0
        var lastReported: String?
        while true {
            let status: String?
            do {
                status = try await check()
            } catch {
                throw ApplyError.wrapping(error)
            }
            guard let status else { return }
            if status != lastReported {
                emit(.waiting(step, "\(what) (now \(status))"))
                lastReported = status
            }
            if ContinuousClock.now >= deadline { throw ApplyError.timedOut(what: what, after: applier.timeout) }
            try? await Task.sleep(for: applier.poll.delay(afterAttempt: attempt))
            attempt += 1
        }
    }

    func awsCall<Value>(_ body: () throws -> Value) throws -> Value {
        do {
            return try body()
        } catch {
            throw ApplyError.wrapping(error)
        }
    }
}
