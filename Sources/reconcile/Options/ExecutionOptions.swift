import ArgumentParser

/// How `apply` and `destroy` run their steps; both validate them the same way.
struct ExecutionOptions: ParsableArguments {
    @Flag(name: .customLong("dry-run"), help: "Print the steps that would run; make no write call.")
    var dryRun = false

    @Flag(name: .customLong("auto-approve"), help: "Do not ask for approval (needed without a terminal).")
    var autoApprove = false

    @Option(help: "Steps run side by side at most.")
    var concurrency = 4

    @Option(help: "Seconds to wait for one step (stream ACTIVE, stack complete) before failing.")
    var timeout = 1800

    func validate() throws {
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
    }
}
