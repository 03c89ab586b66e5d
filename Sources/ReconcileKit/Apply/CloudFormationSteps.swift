import AWSClient
import Foundation

extension StepContext {
    var stackName: String {
        switch step.action {
        case .createStack(let request), .updateStack(let request): request.stack
        case .deleteStack(let stack), .updateTerminationProtection(let stack, _): stack
        default: step.address.name
        }
    }

    /// Calls a CloudFormation write, then follows the stack's events until it settles.
    func performCloudFormation(_ request: any CloudFormationRequest) async throws -> String? {
        let cloudFormation = try awsCall { try applier.client.cloudFormation(region: step.region) }
        let deadline = ContinuousClock.now + applier.timeout
        let follows = followUp == .stackChange || followUp == .stackDeletion
        // Events already there belong to earlier operations: show only new ones.
        let seenBefore =
            follows
            ? Set((try? await cloudFormation.describeStackEvents(stackName: stackName))?.map(\.eventId) ?? []) : []
        do {
            _ = try await cloudFormation.send(request)
        } catch let error as AWSError {
            switch (request.operation, error.cloudFormationCode) {
            case (.updateStack, _) where error.isNoStackUpdate:
                return "no updates were needed"
            case (.createStack, .alreadyExists):
                // An earlier attempt of this apply created it; follow it like our own.
                break
            case (.deleteStack, _) where error.isMissingStack:
                return "already gone"
            default:
                throw ApplyError.aws(error)
            }
        } catch {
            throw ApplyError.wrapping(error)
        }
        guard follows else { return nil }
        try await followStack(
            cloudFormation, seen: seenBefore, deadline: deadline, deleting: followUp == .stackDeletion)
        return nil
    }

    /// Polls the stack by name (a deleted stack's id would be re-created by moto, and by
    /// name "does not exist" means deleted, as botocore's waiter reads it), printing new
    /// events, until it reaches a final state.
    func followStack(
        _ cloudFormation: CloudFormationClient, seen: Set<String>, deadline: ContinuousClock.Instant, deleting: Bool
    ) async throws {
        var seen = seen
        var newEvents: [StackEvent] = []
        var attempt = 0
        var lastStatus = ""
        while true {
            let stack: CloudFormationStack?
            let events: [StackEvent]
            do {
                stack = try await cloudFormation.describeStack(name: stackName)
                events = stack == nil ? [] : (try await cloudFormation.describeStackEvents(stackName: stackName))
            } catch {
                throw ApplyError.wrapping(error)
            }
            for event in events.sorted(by: { $0.timestamp < $1.timestamp }) where !seen.contains(event.eventId) {
                seen.insert(event.eventId)
                newEvents.append(event)
                emit(.stackEvent(step, StackResourceEvent(event)))
            }
            guard let stack else {
                if deleting { return }
                throw ApplyError.stackDisappeared(stack: stackName)
            }
            let status = stack.stackStatus
            if status != lastStatus {
                if status.hasSuffix("_IN_PROGRESS") {
                    emit(.waiting(step, "Stack/\(stackName) to finish (now \(status))"))
                }
                lastStatus = status
            }
            if !status.hasSuffix("_IN_PROGRESS") {
                let success =
                    deleting
                    ? status == "DELETE_COMPLETE"
                    : ["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"].contains(status)
                if success { return }
                let firstFailure =
                    newEvents.first {
                        $0.resourceStatus.hasSuffix("_FAILED") && $0.logicalResourceId != stackName
                    }.map { event in
                        "First failure: \(event.logicalResourceId) (\(event.resourceType)) \(event.resourceStatus): "
                            + (event.resourceStatusReason ?? "no reason given")
                    } ?? stack.stackStatusReason.map { "Reason: \($0)" }
                throw ApplyError.stackFailed(
                    stack: stackName, status: status, firstFailure: firstFailure, guidance: Self.guidance(for: status))
            }
            if ContinuousClock.now >= deadline {
                throw ApplyError.timedOut(what: "Stack/\(stackName) (still \(status))", after: applier.timeout)
            }
            try? await Task.sleep(for: applier.poll.delay(afterAttempt: attempt))
            attempt += 1
        }
    }

    static func guidance(for status: String) -> String {
        switch status {
        case let failed where LiveStack.failedCreationStatuses.contains(failed):
            "The stack can only be deleted now: fix the manifest and run apply again; the next plan deletes and re-creates it."
        case "UPDATE_ROLLBACK_COMPLETE":
            "CloudFormation restored the previous state: fix the cause above and run apply again."
        case "UPDATE_ROLLBACK_FAILED":
            "Recover it with 'aws cloudformation continue-update-rollback', then run apply again."
        case "DELETE_FAILED":
            "Some resources could not be deleted (see the events above): fix that and run destroy again."
        default:
            "See the stack events above."
        }
    }
}

extension StackResourceEvent {
    init(_ event: StackEvent) {
        self.init(
            logicalResourceId: event.logicalResourceId, resourceType: event.resourceType,
            resourceStatus: event.resourceStatus, resourceStatusReason: event.resourceStatusReason,
            timestamp: event.timestamp)
    }
}
