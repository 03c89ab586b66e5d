import Formats
import Foundation

extension ApplyEvent {
    /// The event as one line of JSON (`apply --output json`).
    public var jsonLine: String { jsonValue.serializedString() }

    var jsonValue: JSONValue {
        switch self {
        case .stepStarted(let step): return .object(Self.base("stepStarted", step))
        case .waiting(let step, let what): return Self.object("waiting", step, ["for": .string(what)])
        case .stackEvent(let step, let event):
            return Self.object(
                "stackEvent", step,
                [
                    "logicalId": .string(event.logicalResourceId), "type": .string(event.resourceType),
                    "status": .string(event.resourceStatus),
                    "reason": event.resourceStatusReason.map(JSONValue.string) ?? .null,
                    "time": .string(ISO8601DateFormatter().string(from: event.timestamp))
                ])
        case .stepSucceeded(let step, let elapsed, let note):
            return Self.object(
                "stepSucceeded", step,
                [
                    "elapsedSeconds": .double(Self.seconds(elapsed)), "note": note.map(JSONValue.string) ?? .null
                ])
        case .stepFailed(let step, let elapsed, let error):
            return Self.object(
                "stepFailed", step,
                [
                    "elapsedSeconds": .double(Self.seconds(elapsed)), "error": .string(error)
                ])
        case .stepSkipped(let step, let blocker):
            return Self.object("stepSkipped", step, ["blockedBy": .int(blocker)])
        case .finished(let outcome):
            return [
                "event": "finished", "succeeded": .int(outcome.succeeded.count), "failed": .int(outcome.failed.count),
                "skipped": .int(outcome.skipped.count), "interrupted": .bool(outcome.interrupted)
            ]
        }
    }

    private static func base(_ type: String, _ step: PlanStep) -> [String: JSONValue] {
        [
            "event": .string(type), "step": .int(step.index), "operation": .string(step.operation),
            "address": .string(step.address.description)
        ]
    }

    private static func object(_ type: String, _ step: PlanStep, _ extra: [String: JSONValue]) -> JSONValue {
        .object(base(type, step).merging(extra) { base, _ in base })
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
