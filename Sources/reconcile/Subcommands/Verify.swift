import ArgumentParser
import Foundation
import ReconcileKit

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Put a test record into each declared stream and read it back.",
        discussion: """
            The article's boto3 put_record check, for every declared stream: PutRecord a small JSON event \
            (from "reconcile verify"), read it back from the shard it landed on, and compare the bytes. \
            Exit 1 if any stream is missing or fails.

            Examples:
              reconcile verify manifests/
              reconcile verify --stream xyz-kinesis-data-stream
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    @Option(name: .customLong("stream"), help: "Only this stream (repeatable).")
    var streams: [String] = []

    func validate() throws {}

    func run() async throws {
        let desired = try manifests.loadDesiredState(global: global)
        let unknown = streams.filter { desired.stream(named: $0) == nil }
        guard unknown.isEmpty else {
            throw CommandFailure.report(VerifyError.undeclared(unknown))
        }
        let session = try global.makeSession()
        let style = global.outputStyle
        let selected = desired.streams.filter { streams.isEmpty || streams.contains($0.name) }
        let results: [StreamVerifier.Result]
        do {
            let regions = try session.settings.regions(for: desired)
            results = try await session.run { session in
                var results: [StreamVerifier.Result] = []
                let verifier = StreamVerifier(client: session.client)
                for stream in selected {
                    results.append(await verifier.verify(stream: stream.name, region: regions[stream.address] ?? ""))
                }
                return results
            }
        } catch {
            throw CommandFailure.report(error)
        }
        for result in results {
            if result.ok {
                print(
                    "\(style.green("ok"))   Stream/\(result.stream) [\(result.region)]: put and read back on \(result.shardId ?? "?"), sequence \(result.sequenceNumber ?? "?"), round trip \(result.roundTripMilliseconds ?? 0) ms"
                )
            } else {
                print(
                    "\(style.red("FAIL")) Stream/\(result.stream) [\(result.region)]: \(result.problem ?? "unknown problem")"
                )
            }
        }
        let failed = results.filter { !$0.ok }
        print("\(results.count - failed.count) of \(results.count) streams verified.")
        if !failed.isEmpty {
            throw CommandFailure.report(
                message: "verify failed for " + failed.map { "Stream/\($0.stream)" }.joined(separator: ", "))
        }
    }
}

enum VerifyError: Error, CustomStringConvertible {
    case undeclared([String])

    var description: String {
        "no declared stream named " + undeclared.map { "'\($0)'" }.joined(separator: ", ")
            + "; --stream takes names from the manifests"
    }

    private var undeclared: [String] {
        if case .undeclared(let names) = self { return names }
        return []
    }
}
