import NIOConcurrencyHelpers
import NIOCore

/// Bounds how many AWS calls are in flight at once (reads fan out over a task group).
///
/// A lock, not an actor: a call that finds a free slot takes it without leaving its task's
/// executor, and a finished call hands its slot straight to the oldest waiter. As an actor, each
/// of a 1,000-stream plan's calls hopped onto the limiter and back twice.
public final class ConcurrencyLimiter: Sendable {
    private struct Slots {
        var running = 0
        var waiters = CircularBuffer<CheckedContinuation<Void, Never>>()
    }

    public let limit: Int
    private let slots = NIOLockedValueBox(Slots())

    public init(limit: Int) { self.limit = max(1, limit) }

    public func run<Result: Sendable>(_ work: @Sendable () async throws -> Result) async rethrows -> Result {
        await acquire()
        defer { release() }
        return try await work()
    }

    private func acquire() async {
        let taken = slots.withLockedValue { slots in
            guard slots.running < limit else { return false }
            slots.running += 1
            return true
        }
        if taken { return }
        await withCheckedContinuation { continuation in
            // A slot may have come free between the two locks: take it rather than queue.
            let queued = slots.withLockedValue { slots in
                guard slots.running >= limit else {
                    slots.running += 1
                    return false
                }
                slots.waiters.append(continuation)
                return true
            }
            if !queued { continuation.resume() }
        }
    }

    private func release() {
        let next = slots.withLockedValue { slots -> CheckedContinuation<Void, Never>? in
            if let waiter = slots.waiters.popFirst() { return waiter }  // the slot passes on, still counted
            slots.running -= 1
            return nil
        }
        next?.resume()
    }
}
