import AWSClient
import Formats
import Foundation

/// Lets the CLI ask a running apply to stop starting new steps (Ctrl-C).
public actor StopSignal {
    private(set) public var isRaised = false

    public init() {}

    public func raise() { isRaised = true }
}

/// Executes a plan's steps: each after the steps it depends on succeeded, independent
/// ones side by side, with waits until AWS has finished each asynchronous change.
public struct Applier: Sendable {
    public let client: AWSClient
    public var concurrency: Int
    /// Longest wait for one step (stream ACTIVE, stack complete).
    public var timeout: Duration
    public var poll: PollSchedule
    public let stopSignal: StopSignal

    public init(
        client: AWSClient, concurrency: Int = 4, timeout: Duration = .seconds(1800), poll: PollSchedule = .standard,
        stopSignal: StopSignal = StopSignal()
    ) {
        self.client = client
        self.concurrency = max(1, concurrency)
        self.timeout = timeout
        self.poll = poll
        self.stopSignal = stopSignal
    }

    /// Runs the plan; the stream ends with `.finished`.
    public func run(_ plan: Plan) -> AsyncStream<ApplyEvent> {
        AsyncStream { continuation in
            let task = Task {
                let outcome = await execute(plan) { continuation.yield($0) }
                continuation.yield(.finished(outcome))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    typealias Emit = @Sendable (ApplyEvent) -> Void

    func execute(_ plan: Plan, emit: @escaping Emit) async -> ApplyOutcome {
        var succeeded = Set<Int>()
        var failed = Set<Int>()
        var skipped = Set<Int>()
        var pending = plan.steps.sorted { $0.index < $1.index }
        var interrupted = false
        let references = ReferenceResolver(client: client)

        await withTaskGroup(of: (Int, Result<String?, ApplyError>, Duration).self) { group in
            var running = 0
            while true {
                if !interrupted, await stopSignal.isRaised { interrupted = true }
                // Start every step whose dependencies are done, up to the concurrency bound.
                var index = 0
                while index < pending.count {
                    let step = pending[index]
                    if let blocker = step.dependsOn.first(where: { failed.contains($0) || skipped.contains($0) }) {
                        skipped.insert(step.index)
                        emit(.stepSkipped(step, because: blocker))
                        pending.remove(at: index)
                        continue
                    }
                    if !interrupted && running < concurrency && step.dependsOn.allSatisfy(succeeded.contains) {
                        pending.remove(at: index)
                        running += 1
                        emit(.stepStarted(step))
                        group.addTask {
                            let clock = ContinuousClock()
                            let start = clock.now
                            do {
                                let note = try await perform(step, references: references, emit: emit)
                                return (step.index, .success(note), clock.now - start)
                            } catch let error as ApplyError {
                                return (step.index, .failure(error), clock.now - start)
                            } catch {
                                return (step.index, .failure(.wrapping(error)), clock.now - start)
                            }
                        }
                        continue
                    }
                    index += 1
                }
                guard let (finishedIndex, result, elapsed) = await group.next() else { break }
                running -= 1
                guard let step = plan.steps.first(where: { $0.index == finishedIndex }) else { continue }
                switch result {
                case .success(let note):
                    succeeded.insert(finishedIndex)
                    emit(.stepSucceeded(step, elapsed: elapsed, note: note))
                case .failure(let error):
                    failed.insert(finishedIndex)
                    emit(.stepFailed(step, elapsed: elapsed, error: error.description))
                }
            }
        }
        // Whatever was never started (interrupted) counts as skipped.
        skipped.formUnion(pending.map(\.index))
        return ApplyOutcome(
            succeeded: succeeded.sorted(), failed: failed.sorted(), skipped: skipped.sorted(), interrupted: interrupted)
    }

    func perform(_ step: PlanStep, references: ReferenceResolver, emit: @escaping Emit) async throws -> String? {
        let context = StepContext(applier: self, step: step, emit: emit)
        switch try await references.request(of: step) {
        case .kinesis(let request): return try await context.performKinesis(request)
        case .cloudFormation(let request): return try await context.performCloudFormation(request)
        }
    }
}

/// How often to ask AWS whether a change has finished: fast at first, then slower,
/// never busier than the Describe quotas allow.
public struct PollSchedule: Sendable {
    public var first: Duration
    public var factor: Double
    public var maximum: Duration

    public static let standard = PollSchedule(first: .milliseconds(250), factor: 2, maximum: .seconds(5))

    public init(first: Duration, factor: Double, maximum: Duration) {
        self.first = first
        self.factor = factor
        self.maximum = maximum
    }

    func delay(afterAttempt attempt: Int) -> Duration {
        let grown = first * pow(factor, Double(attempt))
        return min(grown, maximum)
    }
}

/// Fills in a step's reference (the ARN of a stream created earlier in the apply). Only the
/// action's own reference is looked up: no parameter value is ever read as one.
actor ReferenceResolver {
    let client: AWSClient
    private var cache: [StepReference: String] = [:]

    init(client: AWSClient) { self.client = client }

    /// The request the step sends, with its reference (if any) replaced by its value.
    func request(of step: PlanStep) async throws -> StepRequest {
        guard let reference = step.action.reference else { return step.action.request { $0.documentText } }
        let resolved = try await value(of: reference, region: step.region)
        return step.action.request { _ in resolved }
    }

    private func value(of reference: StepReference, region: String) async throws -> String {
        if let cached = cache[reference] { return cached }
        switch reference {
        case .streamARN(let name):
            let summary: KinesisStreamSummary?
            do {
                summary = try await client.kinesis(region: region).describeStreamSummary(streamName: name)
            } catch {
                throw ApplyError.wrapping(error)
            }
            guard let arn = summary?.streamARN else { throw ApplyError.unresolvedReference(reference.description) }
            cache[reference] = arn
            return arn
        case .consumerARN(let stream, let consumer):
            let streamARN = try await value(of: .streamARN(stream: stream), region: region)
            // One DescribeStreamConsumer by stream and name (the read the registration step already
            // waits with, so the policy grants it), not a listing of every consumer.
            let found: KinesisConsumer?
            do {
                found = try await client.kinesis(region: region).describeStreamConsumer(
                    streamARN: streamARN, consumerName: consumer)
            } catch {
                throw ApplyError.wrapping(error)
            }
            guard let arn = found?.arn else { throw ApplyError.unresolvedReference(reference.description) }
            cache[reference] = arn
            return arn
        }
    }
}

extension Applier {
    /// Step references (a new stream's ARN) are resolved with DescribeStreamSummary.
    public static let referenceResolution = AWSOperation.describeStreamSummary
}
