import NIOCore
import NIOPosix
import RuntimeHooks

/// Makes NIO's event-loop group (the one AsyncHTTPClient runs on) Swift concurrency's global
/// executor, so a request's continuation resumes on the loop that read its answer instead of
/// hopping to the cooperative pool and back: on a 1,000-stream plan that is about a quarter of the
/// process's CPU time (docs/benchmarks.md).
///
/// This is what `NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`
/// does, except for how the hook is found: NIO looks it up with `dlsym`, which finds nothing when
/// the Swift runtime is linked statically, as the release build and the release archive link it.
/// Nothing in the CLI blocks a task on another task, which shared event-loop threads would not allow.
enum EventLoopExecutor {
    /// The runtime's hook: the job to enqueue, and the runtime's own enqueue (unused here).
    private typealias EnqueueHook =
        @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Call once, from `main`, before any other task starts.
    static func install() {
        let enqueueOnEventLoop: EnqueueHook = { job, _ in
            // `any()` stays on the current loop when called from one of the group's threads.
            MultiThreadedEventLoopGroup.singleton.any().executor.enqueue(ExecutorJob(job))
        }
        reconcile_global_enqueue_hook_slot().pointee = unsafeBitCast(
            enqueueOnEventLoop, to: UnsafeMutableRawPointer.self)
    }
}
