import AWSClient
import Formats
import Foundation

/// One step being performed, with what it needs to call AWS, wait and report. What it does
/// around the write call follows `step.action.followUp`, whose reads the policy grants.
struct StepContext: Sendable {
    let applier: Applier
    let step: PlanStep
    let emit: Applier.Emit

    var followUp: StepFollowUp { step.action.followUp }
    var streamName: String { step.action.streamName ?? step.address.name }

    /// Calls a Kinesis write, treating "already done" answers (a retry that had in fact
    /// gone through, a stream still UPDATING) the way a careful operator would, then waits
    /// until the change has taken effect.
    func performKinesis(_ request: any KinesisRequest) async throws -> String? {
        let kinesis = try awsCall { try applier.client.kinesis(region: step.region) }
        let deadline = ContinuousClock.now + applier.timeout
        switch try await sendKinesis(kinesis, request, until: deadline) {
        case .finished(let note):
            return note
        case .answered(let response, let note):
            try await awaitKinesisEffect(kinesis, request, response: response, until: deadline)
            return note
        }
    }

    /// How a Kinesis write call ended.
    enum KinesisSendOutcome {
        /// AWS accepted it (or had already done it, as `note` says): wait for its effect.
        case answered(JSONValue, note: String?)
        /// Nothing more to do: the effect was already there.
        case finished(String)
    }

    func sendKinesis(
        _ kinesis: KinesisClient, _ request: any KinesisRequest, until deadline: ContinuousClock.Instant
    ) async throws -> KinesisSendOutcome {
        while true {
            do {
                return .answered(try await kinesis.send(request), note: nil)
            } catch let error as AWSError {
                switch (followUp, error.kinesisCode) {
                case (.streamCreation, .resourceInUse):
                    guard await streamIsOursOrUntagged(kinesis) else { throw ApplyError.aws(error) }
                    return .answered(.object([:]), note: "stream already existed (an earlier attempt created it)")
                case (.consumerRegistration, .resourceInUse):
                    return .answered(.object([:]), note: "consumer was already registered")
                case (.streamDeletion, .resourceNotFound), (.consumerDeregistration, .resourceNotFound),
                    (.policyDeletion, .resourceNotFound):
                    return .finished("already gone")
                case (let followUp, .resourceInUse) where followUp.rechecksStream:
                    // The stream is busy with an earlier change: wait for it, then try again.
                    try await waitForStream(kinesis, until: deadline, description: "to finish its previous change")
                    if try await effectInPlace(kinesis) { return .finished("already in place") }
                case (let followUp, _) where followUp.rechecksStream:
                    if try await effectInPlace(kinesis) { return .finished("already in place") }
                    throw ApplyError.aws(error)
                default:
                    throw ApplyError.aws(error)
                }
            } catch {
                throw ApplyError.wrapping(error)
            }
        }
    }

    /// Our own earlier attempt may have created the stream: accept it if it is ours or untagged.
    func streamIsOursOrUntagged(_ kinesis: KinesisClient) async -> Bool {
        guard case .createStream(_, _, _, let plannedTags, _, _) = step.action else { return false }
        let planned = plannedTags[OwnershipTag.key]
        guard let tags = try? await kinesis.listTagsForStream(streamName: streamName) else { return false }
        return tags[OwnershipTag.key] == nil || tags[OwnershipTag.key] == planned
    }

    /// Waits until the write has taken effect: the stream ACTIVE (or gone), the consumer
    /// ACTIVE (or gone); tag calls take effect at once.
    func awaitKinesisEffect(
        _ kinesis: KinesisClient, _ request: any KinesisRequest, response: JSONValue,
        until deadline: ContinuousClock.Instant
    ) async throws {
        switch followUp {
        case .streamTags, .stackChange, .stackDeletion, .immediate, .policyDeletion:
            return
        case .streamDeletion:
            try await waitUntil(deadline, "Stream/\(streamName) to be deleted") {
                try await kinesis.describeStreamSummary(streamName: streamName) == nil ? nil : "DELETING"
            }
        case .consumerRegistration:
            guard let registration = request as? RegisterStreamConsumerInput else { return }
            try await awaitRegistration(kinesis, registration, response: response, until: deadline)
        case .consumerDeregistration:
            guard let deregistration = request as? DeregisterStreamConsumerInput else { return }
            try await waitUntil(deadline, "\(step.address) to be deregistered") {
                try await kinesis.describeStreamConsumer(consumerARN: deregistration.consumerARN) == nil
                    ? nil : "DELETING"
            }
        case .streamChange, .streamCreation:
            try await waitForStream(kinesis, until: deadline, description: "to become ACTIVE")
        }
    }

    /// Waits until the registered consumer is ACTIVE. Its ARN comes from the answer, or, when
    /// it was already registered, from describing it by stream and name.
    func awaitRegistration(
        _ kinesis: KinesisClient, _ registration: RegisterStreamConsumerInput, response: JSONValue,
        until deadline: ContinuousClock.Instant
    ) async throws {
        var consumerARN = response["Consumer"]?["ConsumerARN"]?.stringValue
        if consumerARN == nil {
            consumerARN = try await kinesis.describeStreamConsumer(
                streamARN: registration.streamARN, consumerName: registration.consumerName)?.arn
        }
        guard let consumerARN else { return }
        try await waitUntil(deadline, "\(step.address) to become ACTIVE") {
            let status = try await kinesis.describeStreamConsumer(consumerARN: consumerARN)?.status ?? "CREATING"
            return status == "ACTIVE" ? nil : status
        }
    }

    func waitForStream(
        _ kinesis: KinesisClient, until deadline: ContinuousClock.Instant, description: String
    ) async throws {
        try await waitUntil(deadline, "Stream/\(streamName) \(description)") {
            guard let summary = try await kinesis.describeStreamSummary(streamName: streamName) else {
                return "missing"
            }
            return summary.streamStatus == "ACTIVE" ? nil : summary.streamStatus
        }
    }

    /// True when the stream already has what this step asks for (so a repeat is unnecessary).
    func effectInPlace(_ kinesis: KinesisClient) async throws -> Bool {
        guard let summary = try await kinesis.describeStreamSummary(streamName: streamName) else { return false }
        switch step.action {
        case .updateShardCount(_, let target):
            return summary.streamStatus == "ACTIVE" && summary.openShardCount == target
        case .increaseRetention(_, let hours), .decreaseRetention(_, let hours):
            return summary.retentionPeriodHours == hours
        case .updateStreamMode(_, let mode):
            return summary.streamMode == mode.rawValue
        case .startEncryption(_, let key):
            return summary.encryptionType == "KMS" && summary.keyId == key
        case .stopEncryption:
            return summary.encryptionType != "KMS"
        case .updateMaxRecordSize(_, let kibibytes):
            return summary.maxRecordSizeKiB == kibibytes
        case .updateWarmThroughput(_, let mebibytesPerSecond):
            return summary.warmThroughputTargetMiBps == mebibytesPerSecond
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
