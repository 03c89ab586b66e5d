extension ThrowingTaskGroup where Failure == any Error {
    /// Runs `operation` for each of `items` with at most `width` child tasks alive at a time, and
    /// hands each result to `receive` in the order they finish.
    ///
    /// Adding every item up front would keep a task per item suspended on the call limiter, each
    /// with its own allocator slab: about 25 MB, and a page fault per new page, at 1,000 streams.
    /// The width only bounds tasks; the `ConcurrencyLimiter` still bounds calls, so `width` is
    /// best a few times the limiter's, leaving room for tasks that wait without calling
    /// (a stream settling).
    mutating func forEach<Item: Sendable>(
        _ items: [Item], width: Int, operation: @escaping @Sendable (Item) async throws -> ChildTaskResult,
        receive: (ChildTaskResult) throws -> Void
    ) async throws {
        var pending = items[...]
        func startNext() {
            guard let item = pending.popFirst() else { return }
            addTask { try await operation(item) }
        }
        for _ in 0..<Swift.max(1, width) { startNext() }
        while let result = try await next() {
            try receive(result)
            startNext()
        }
    }
}
