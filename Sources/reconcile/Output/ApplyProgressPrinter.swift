import Foundation
import ReconcileKit

/// Renders applier events: one line per step start and end with elapsed time, stack
/// events as they arrive, what each wait is for; or JSON lines for pipelines. On a
/// terminal a status line under them says how many steps are done and what is awaited.
struct ApplyProgressPrinter {
    let style: TextStyle
    let json: Bool
    let total: Int
    /// Draw the live status line (only when standard output is a terminal).
    let liveStatus: Bool
    private var finished = 0
    private var waits: [Int: String] = [:]
    private var statusShown = false

    init(style: TextStyle, json: Bool, total: Int, liveStatus: Bool) {
        self.style = style
        self.json = json
        self.total = total
        self.liveStatus = liveStatus && !json
    }

    mutating func print(_ event: ApplyEvent) {
        if json {
            Swift.print(event.jsonLine)
            return
        }
        switch event {
        case .waiting(let step, let what): waits[step.index] = what
        case .stepSucceeded(let step, _, _), .stepFailed(let step, _, _), .stepSkipped(let step, _):
            finished += 1
            waits[step.index] = nil
        default: break
        }
        if let line = line(for: event) {
            clearStatus()
            Swift.print(line)
        }
        if case .finished = event { clearStatus() } else { drawStatus() }
    }

    private func line(for event: ApplyEvent) -> String? {
        switch event {
        case .stepStarted(let step):
            return "\(prefix(step)) \(step.operation) \(step.address): \(step.reason)"
        case .waiting(let step, let what):
            return "\(prefix(step)) \(style.dim("waiting for \(what)"))"
        case .stackEvent(let step, let event):
            let reason = event.resourceStatusReason.map { "  \($0)" } ?? ""
            let line =
                "\(prefix(step))   \(Self.time(event.timestamp))  \(event.logicalResourceId)  \(event.resourceType)  \(event.resourceStatus)\(reason)"
            return event.isFailure ? style.red(line) : style.dim(line)
        case .stepSucceeded(let step, let elapsed, let note):
            let extra = note.map { " (\($0))" } ?? ""
            return
                "\(prefix(step)) \(style.green("done")) \(step.operation) \(step.address) in \(elapsed.formattedSeconds)\(extra)"
        case .stepFailed(let step, let elapsed, let error):
            return
                "\(prefix(step)) \(style.red("FAILED")) \(step.operation) \(step.address) after \(elapsed.formattedSeconds): \(error)"
        case .stepSkipped(let step, let blocker):
            return
                "\(prefix(step)) \(style.yellow("skipped")) \(step.operation) \(step.address): step \(blocker) did not succeed"
        case .finished:
            return nil
        }
    }

    /// `3/7 steps done · waiting for Stream/x to become ACTIVE (now UPDATING)`, redrawn in place.
    private mutating func drawStatus() {
        guard liveStatus else { return }
        var status = "\(finished)/\(total) steps done"
        if let wait = waits.sorted(by: { $0.key < $1.key }).first?.value {
            status += " · waiting for \(wait)"
            if waits.count > 1 { status += " (+\(waits.count - 1) more)" }
        }
        FileHandle.standardOutput.write(Data("\u{1B}[2K\r\(style.bold(status))".utf8))
        statusShown = true
    }

    private mutating func clearStatus() {
        guard statusShown else { return }
        FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8))
        statusShown = false
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
}
