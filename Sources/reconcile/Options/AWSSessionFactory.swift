import AWSClient
import ArgumentParser
import Foundation
import ReconcileKit

/// Everything a command needs to talk to AWS, built once from the global options.
struct CommandSession {
    let client: AWSClient
    let settings: AWSSettings
    let project: String

    /// Builds the client; a missing credential or region is one clear message and exit 1.
    static func make(_ global: GlobalOptions) throws -> CommandSession {
        let environment = AWSEnvironment(ProcessInfo.processInfo.environment)
        let verbose = global.verbose
        do {
            // Five attempts by default (botocore's standard mode has 3): an apply that dies on a
            // third throttle wastes a pipeline run; AWS_MAX_ATTEMPTS still wins.
            let observer: (@Sendable (AWSRequestEvent) -> Void)? = verbose ? { @Sendable event in RequestLog.write(event) } : nil
            let client = try AWSClient.resolving(
                profile: global.profile, cliRegion: global.region, environment: environment,
                endpointOverride: global.endpointURL,
                retryPolicy: RetryPolicy.standard(environment: environment, defaultMaxAttempts: 5),
                rateLimits: global.effectiveRateLimits(environment: environment), observer: observer)
            return CommandSession(
                client: client,
                settings: AWSSettings(environment: environment, cliRegion: global.region, profile: global.profile),
                project: global.resolvedProject)
        } catch {
            throw CommandFailure.report(error)
        }
    }

    func reconciler(readConcurrency: Int = Reconciler.defaultReadConcurrency) -> Reconciler {
        Reconciler(client: client, settings: settings, readConcurrency: readConcurrency)
    }

    /// Runs `body`, then shuts the HTTP client down whatever happened.
    func run<Result>(_ body: (CommandSession) async throws -> Result) async throws -> Result {
        do {
            let result = try await body(self)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

extension GlobalOptions {
    /// `--rate-limits`, else none against a loopback endpoint (moto has no quotas, and AWS's
    /// would make a local 1,000-stream plan take minutes), else AWS's documented quotas.
    func effectiveRateLimits(environment: AWSEnvironment) -> RateLimits? {
        let mode = rateLimits
            ?? (RateLimits.endpointsAreLoopback(cliEndpoint: endpointURL, environment: environment) ? .off : .aws)
        return mode == .aws ? RateLimits.awsDefaults : nil
    }

    /// `--project`, else `RECONCILE_PROJECT`, else `default` (empty counts as unset).
    var resolvedProject: String {
        if let project, !project.isEmpty { return project }
        if let fromEnvironment = ProcessInfo.processInfo.environment["RECONCILE_PROJECT"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "default"
    }
}

/// `--verbose`: one line per AWS request on stderr. The event carries no secrets.
enum RequestLog {
    static func write(_ event: AWSRequestEvent) {
        var line = "aws: \(event.service.rawValue):\(event.operation) [\(event.region)] attempt \(event.attempt)"
        if let status = event.statusCode { line += " → \(status)" }
        if let code = event.errorCode { line += " \(code)" }
        line += " in \(event.duration.formattedSeconds)"
        if event.willRetry { line += " (will retry)" }
        StandardError.write(line)
    }
}

enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// Turns any error into one clear message on stderr and exit code 1.
enum CommandFailure {
    static func report(_ error: Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        StandardError.write("error: \(describe(error))")
        return ExitCode(1)
    }

    static func describe(_ error: Error) -> String {
        String(describing: error)
    }
}
