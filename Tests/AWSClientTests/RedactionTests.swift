import AWSClient
import AWSSigV4
import Foundation
import TestSupport
import Testing

@Suite("Secrets never leak")
struct RedactionTests {
    @Test("events and error descriptions hold no secret key, session token or signature")
    func nothingSecretIsObservable() async throws {
        let secret = "SECRET+KEY/abcdefghijklmnopqrstuvwxyz0123"
        let token = "SESSION-TOKEN-zyxwvutsrqponmlkjihgfedcba"
        let server = try await ScriptedHTTPServer(
            script: [
                .jsonError(status: 400, code: "ThrottlingException", message: "Rate exceeded"),
                .respond(status: 500, headers: ["Content-Type": "text/html"], body: "<html>oops</html>")
            ],
            fallback: .xmlError(
                status: 403, code: "SignatureDoesNotMatch",
                message: "The request signature we calculated does not match"))
        let log = EventLog()
        let client = makeClient(
            endpoint: server.endpoint, maxAttempts: 3,
            credentials: Credentials(accessKeyId: "AKIDVISIBLE", secretAccessKey: secret, sessionToken: token), log: log
        )
        var descriptions: [String] = []
        do {
            _ = try await client.kinesis(region: testRegion).listStreams()
        } catch {
            descriptions += [String(describing: error), String(reflecting: error), "\(error)"]
        }
        do {
            _ = try await client.cloudFormation(region: testRegion).describeStacks()
        } catch {
            descriptions += [String(describing: error), String(reflecting: error)]
        }
        try await client.shutdown()
        try await server.shutdown()
        descriptions += log.events.flatMap { [String(describing: $0), String(reflecting: $0)] }
        let signatures = server.requests.compactMap {
            $0.headers["authorization"]?.components(separatedBy: "Signature=").last
        }
        #expect(signatures.count == 4)
        #expect(log.events.count == 4)
        #expect(descriptions.count > 4)
        for text in descriptions {
            #expect(!text.contains(secret))
            #expect(!text.contains(token))
            for signature in signatures { #expect(!text.contains(signature)) }
            #expect(!text.contains("AWS4-HMAC-SHA256"))
        }
        // The token did go out on the wire, as it must.
        #expect(server.requests.allSatisfy { $0.headers["x-amz-security-token"] == token })
    }
}
