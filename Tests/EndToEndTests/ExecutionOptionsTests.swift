import Foundation
import TestSupport
import Testing

/// `apply` and `destroy` share their execution options, so both refuse the same bad values
/// before reading a manifest or calling AWS.
@Suite("apply and destroy execution options")
struct ExecutionOptionsTests {
    @Test(
        "apply and destroy refuse a zero --timeout or --concurrency with the same message",
        arguments: [
            (["--timeout", "0"], "--timeout must be at least 1 second"),
            (["--concurrency", "0"], "--concurrency must be at least 1")
        ])
    func zeroValuesAreRefused(options: [String], message: String) throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanUp() }
        try scratch.write("stream.yaml", validStreamManifest)
        for command in ["apply", "destroy"] {
            let result = try reconcile([command, "--auto-approve"] + options + ["."], in: scratch.path)
            #expect(result.exitCode != 0, "\(command) accepted \(options)")
            #expect(result.stderr.contains(message), "\(command): \(result.stderr)")
        }
    }
}
