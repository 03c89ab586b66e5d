import Foundation
import TestSupport
import Testing

/// Credentials that run out in the middle of a slow apply are refreshed before they expire, and
/// the apply still succeeds.
@Suite("credentials: refreshed during a long apply")
struct CredentialRefreshTests {
    @Test("container credentials that last seconds past the refresh margin are fetched again during a slowed apply")
    func refreshDuringApply() async throws {
        let lab = try await blocking { try CredentialsLab() }
        defer { lab.stop() }
        let proxy = try await blocking { try FaultProxy(in: lab.moto) }
        defer { proxy.stop() }
        try proxy.configure(#"{"latency_ms": 400}"#)
        let assumed = lab.assumed
        // Each answer expires 5 minutes and 2 seconds from now: 2 seconds before reconcile's
        // 5-minute refresh margin begins.
        let container = try await RoutingHTTPServer(
            route: CredentialEndpointFakes.container(path: "/creds", authorization: nil) {
                var fresh = assumed
                fresh.expiration = Date().addingTimeInterval(302)
                return fresh
            })
        defer { Task { try? await container.shutdown() } }
        var environment = lab.baseEnvironment
        environment["AWS_ENDPOINT_URL"] = proxy.endpoint
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = container.endpoint + "/creds"
        let started = Date()
        let runEnvironment = environment
        let apply = try await blocking { try lab.reconcile(["apply", "--auto-approve", "."], runEnvironment) }
        let elapsed = Date().timeIntervalSince(started)
        #expect(apply.exitCode == 0, "\(apply.output)")
        #expect(try lab.liveStacks() == ["xyz-infra-kinesis"])
        // The apply outlived the first credentials, so they were fetched again (once per expiry,
        // not once per request: the proxy saw many more requests than the endpoint).
        #expect(elapsed > 2.5, "the apply was not slow enough to outlive the credentials (\(elapsed) s)")
        let fetches = container.requests.count
        #expect(fetches >= 2, "fetched \(fetches) times in \(elapsed) s")
        let awsRequests = try proxy.requests().count
        #expect(fetches < awsRequests, "\(fetches) fetches for \(awsRequests) requests")
    }
}
