import ArgumentParser
import Foundation
import ReconcileKit

extension RateLimitMode: ExpressibleByArgument {}

extension GlobalOptions {
    var sessionOptions: SessionOptions {
        SessionOptions(
            region: region, profile: profile, endpointURL: endpointURL, project: project, rateLimits: rateLimits,
            verbose: verbose)
    }

    /// The settings alone, for commands that may need no AWS call.
    var awsSettings: AWSSettings { AWSSettings(sessionOptions, environment: ProcessInfo.processInfo.environment) }

    /// The AWS session; a missing credential or region is one clear message and exit 1.
    func makeSession() throws -> AWSSession {
        do {
            return try AWSSession.make(sessionOptions, environment: ProcessInfo.processInfo.environment) { line in
                StandardError.write(line)
            }
        } catch {
            throw CommandFailure.report(error)
        }
    }
}
