import Foundation
import NIOConcurrencyHelpers

/// A service's URL in a region, with what every request to it reads from the URL worked out once:
/// Foundation's `URL` parses and re-derives host, port and path on each access, which cost more
/// than a request's signing key.
struct EndpointTarget: Sendable {
    let url: URL
    /// `Host`: the host, with the port when the URL names one.
    let hostHeader: String
    /// The path requests are signed and sent with ("/" when the URL has none).
    let path: String
    /// The URL as AsyncHTTPClient is given it.
    let address: String

    init(_ url: URL) {
        self.url = url
        let host = url.host ?? ""
        hostHeader = url.port.map { "\(host):\($0)" } ?? host
        path = url.path.isEmpty ? "/" : url.path
        address = url.absoluteString
    }
}

/// Resolved endpoints by service and region, for the life of one `AWSClient` (its endpoint
/// settings do not change).
final class EndpointTargetCache: Sendable {
    private struct Key: Hashable {
        var service: AWSService
        var region: String
    }

    private let targets = NIOLockedValueBox<[Key: EndpointTarget]>([:])

    func target(_ service: AWSService, region: String, resolve: () throws -> URL) rethrows -> EndpointTarget {
        let key = Key(service: service, region: region)
        if let known = targets.withLockedValue({ $0[key] }) { return known }
        let target = EndpointTarget(try resolve())
        targets.withLockedValue { $0[key] = target }
        return target
    }
}
