import AWSClient
import Foundation

/// What the applier reports while it runs; the CLI renders these.
public enum ApplyEvent: Sendable {
    case stepStarted(PlanStep)
    /// What a step is waiting for (e.g. "Stream/x to become ACTIVE (UPDATING)").
    case waiting(PlanStep, String)
    case stackEvent(PlanStep, StackResourceEvent)
    case stepSucceeded(PlanStep, elapsed: Duration, note: String?)
    case stepFailed(PlanStep, elapsed: Duration, error: String)
    /// Not started because a step it depends on failed.
    case stepSkipped(PlanStep, because: Int)
    case finished(ApplyOutcome)
}

/// One CloudFormation stack event seen while a step ran.
public struct StackResourceEvent: Sendable, Hashable {
    public var logicalResourceId: String
    public var resourceType: String
    public var resourceStatus: String
    public var resourceStatusReason: String?
    public var timestamp: Date

    public var isFailure: Bool { resourceStatus.hasSuffix("_FAILED") }
}

public struct ApplyOutcome: Sendable {
    public var succeeded: [Int]
    public var failed: [Int]
    public var skipped: [Int]
    public var interrupted: Bool

    public var isSuccess: Bool { failed.isEmpty && skipped.isEmpty && !interrupted }
}

/// Why a step failed, in words that say what to do.
public enum ApplyError: Error, Sendable, CustomStringConvertible {
    /// AWS answered a call with an error.
    case aws(AWSError)
    /// A call got no usable AWS answer (connection, credentials, an answer that does not parse).
    case request(String)
    case stackDisappeared(stack: String)
    case stackFailed(stack: String, status: String, firstFailure: String?, guidance: String)
    case timedOut(what: String, after: Duration)
    case unresolvedReference(String)

    public var description: String {
        switch self {
        case .aws(let error): return error.description
        case .request(let text): return text
        case .stackDisappeared(let stack): return "Stack/\(stack) disappeared while it was being created or updated"
        case .stackFailed(let stack, let status, let firstFailure, let guidance):
            let cause = firstFailure.map { "\($0). " } ?? ""
            return "Stack/\(stack) ended \(status). \(cause)\(guidance)"
        case .timedOut(let what, let after):
            return
                "timed out after \(after.formattedSeconds) waiting for \(what); raise --timeout if AWS is just slow, then run apply again (it resumes from live state)"
        case .unresolvedReference(let reference):
            return "cannot resolve \(reference): the resource it names does not exist"
        }
    }
}

extension ApplyError {
    /// Any error of a call, as an `ApplyError` (typed AWS answers stay typed).
    static func wrapping(_ error: any Error) -> ApplyError {
        switch error {
        case let error as ApplyError: error
        case let error as AWSError: .aws(error)
        default: .request(String(describing: error))
        }
    }
}

extension Duration {
    /// `1.2s`, for progress lines.
    public var formattedSeconds: String {
        let (seconds, attoseconds) = components
        let total = Double(seconds) + Double(attoseconds) / 1e18
        return String(format: total < 10 ? "%.1fs" : "%.0fs", total)
    }
}
