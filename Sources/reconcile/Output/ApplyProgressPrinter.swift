import AWSClient
import Foundation
import ReconcileKit

/// Renders applier events: one line per step start and end with elapsed time, stack
/// events as they arrive, what each wait is for; or JSON lines for pipelines.
struct ApplyProgressPrinter {
    let style: TextStyle
    let json: Bool
    let total: Int

    func print(_ event: ApplyEvent) {
        if json {
            Swift.print(jsonLine(event).serializedString())
            return
        }
        switch event {
        case .stepStarted(let step):
            Swift.print("\(prefix(step)) \(step.operation) \(step.address): \(step.reason)")
        case .waiting(let step, let what):
            Swift.print("\(prefix(step)) \(style.dim("waiting for \(what)"))")
        case .stackEvent(let step, let event):
            let reason = event.resourceStatusReason.map { "  \($0)" } ?? ""
            let line = "\(prefix(step))   \(Self.time(event.timestamp))  \(event.logicalResourceId)  \(event.resourceType)  \(event.resourceStatus)\(reason)"
            Swift.print(event.resourceStatus.hasSuffix("_FAILED") ? style.red(line) : style.dim(line))
        case .stepSucceeded(let step, let elapsed, let note):
            let extra = note.map { " (\($0))" } ?? ""
            Swift.print("\(prefix(step)) \(style.green("done")) \(step.operation) \(step.address) in \(elapsed.formattedSeconds)\(extra)")
        case .stepFailed(let step, let elapsed, let error):
            Swift.print("\(prefix(step)) \(style.red("FAILED")) \(step.operation) \(step.address) after \(elapsed.formattedSeconds): \(error)")
        case .stepSkipped(let step, let blocker):
            Swift.print("\(prefix(step)) \(style.yellow("skipped")) \(step.operation) \(step.address): step \(blocker) did not succeed")
        case .finished:
            break
        }
    }

    private func prefix(_ step: PlanStep) -> String {
        let width = String(total).count
        let position = String(step.index + 1)
        return "[\(String(repeating: " ", count: max(0, width - position.count)))\(position)/\(total)]"
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: date)
    }

    private func jsonLine(_ event: ApplyEvent) -> JSONValue {
        func base(_ type: String, _ step: PlanStep) -> [String: JSONValue] {
            ["event": .string(type), "step": .int(step.index), "operation": .string(step.operation), "address": .string(step.address.description)]
        }
        switch event {
        case .stepStarted(let step): return .object(base("stepStarted", step))
        case .waiting(let step, let what): return .object(base("waiting", step).merging(["for": .string(what)]) { a, _ in a })
        case .stackEvent(let step, let stackEvent):
            return .object(base("stackEvent", step).merging([
                "logicalId": .string(stackEvent.logicalResourceId), "type": .string(stackEvent.resourceType),
                "status": .string(stackEvent.resourceStatus), "reason": stackEvent.resourceStatusReason.map(JSONValue.string) ?? .null,
                "time": .string(ISO8601DateFormatter().string(from: stackEvent.timestamp)),
            ]) { a, _ in a })
        case .stepSucceeded(let step, let elapsed, let note):
            return .object(base("stepSucceeded", step).merging([
                "elapsedSeconds": .double(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18),
                "note": note.map(JSONValue.string) ?? .null,
            ]) { a, _ in a })
        case .stepFailed(let step, let elapsed, let error):
            return .object(base("stepFailed", step).merging([
                "elapsedSeconds": .double(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18),
                "error": .string(error),
            ]) { a, _ in a })
        case .stepSkipped(let step, let blocker):
            return .object(base("stepSkipped", step).merging(["blockedBy": .int(blocker)]) { a, _ in a })
        case .finished(let outcome):
            return [
                "event": "finished", "succeeded": .int(outcome.succeeded.count), "failed": .int(outcome.failed.count),
                "skipped": .int(outcome.skipped.count), "interrupted": .bool(outcome.interrupted),
            ]
        }
    }
}
