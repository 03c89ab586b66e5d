import NIOConcurrencyHelpers
import Testing

@testable import ReconcileKit

/// Counts work running at once and the most seen.
private final class Occupancy: Sendable {
    private let counts = NIOLockedValueBox((now: 0, most: 0, finished: 0))

    func enter() {
        counts.withLockedValue {
            $0.now += 1
            $0.most = max($0.most, $0.now)
        }
    }
    func leave() {
        counts.withLockedValue {
            $0.now -= 1
            $0.finished += 1
        }
    }
    var most: Int { counts.withLockedValue { $0.most } }
    var finished: Int { counts.withLockedValue { $0.finished } }
}

@Suite("Reads fan out bounded: calls by the limiter, tasks by the group's width")
struct ConcurrencyLimiterTests {
    @Test("the limiter never lets more than its limit run, and every queued call runs")
    func limiterBoundsCalls() async throws {
        let limiter = ConcurrencyLimiter(limit: 3)
        let occupancy = Occupancy()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await limiter.run {
                        occupancy.enter()
                        defer { occupancy.leave() }
                        try await Task.sleep(for: .microseconds(50))
                        return index
                    }
                }
            }
            var seen = Set<Int>()
            for try await index in group { seen.insert(index) }
            #expect(seen == Set(0..<200))
        }
        #expect(occupancy.most == 3)
        #expect(occupancy.finished == 200)
    }

    @Test("a failing call gives its slot back")
    func limiterReleasesOnError() async {
        struct Refused: Error {}
        let limiter = ConcurrencyLimiter(limit: 1)
        for _ in 0..<5 {
            await #expect(throws: Refused.self) { try await limiter.run { throw Refused() } }
        }
        let value = await limiter.run { 42 }
        #expect(value == 42)
    }

    @Test("the group keeps at most its width of tasks alive and hands every result back")
    func groupWidthBoundsTasks() async throws {
        let occupancy = Occupancy()
        var results: [Int] = []
        try await withThrowingTaskGroup(of: Int.self) { group in
            try await group.forEach(Array(0..<100), width: 7) { index in
                occupancy.enter()
                defer { occupancy.leave() }
                try await Task.sleep(for: .microseconds(100))
                return index * 2
            } receive: {
                results.append($0)
            }
        }
        #expect(occupancy.most <= 7)
        #expect(occupancy.most > 1)
        #expect(results.sorted() == (0..<100).map { $0 * 2 })
    }
}
