import AsyncHTTPClient
import Foundation
import NIOSSL

/// Sorts transport failures that no retry can fix (a certificate we do not trust, a name that
/// does not match, a proxy that wants credentials) from passing ones (resets, refusals).
enum TransportFailure {
    static func permanentError(_ error: Error, service: AWSService, operation: String, endpoint: URL) -> AWSClientError?
    {
        let host = endpoint.host ?? endpoint.absoluteString
        if let problem = certificateProblem(error) {
            return .untrustedCertificate(service: service, operation: operation, host: host, problem: problem)
        }
        if let clientError = error as? HTTPClientError, clientError == .proxyAuthenticationRequired {
            return .proxyRefused(service: service, operation: operation, host: host)
        }
        return nil
    }

    static func certificateProblem(_ error: Error) -> AWSClientError.CertificateProblem? {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname { return .nameMismatch }
        if let sslError = error as? NIOSSLError, case .handshakeFailed = sslError { return .untrusted }
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return .untrusted }
        if text.contains("failedToValidateHostname") { return .nameMismatch }
        return nil
    }

    /// A short, secret-free reason for a passing failure, in words rather than NIO's type names.
    static func reason(_ error: Error, endpoint: URL) -> String {
        let place =
            endpoint.host.map { host in endpoint.port.map { "\(host):\($0)" } ?? host } ?? endpoint.absoluteString
        if let clientError = error as? HTTPClientError, clientError == .remoteConnectionClosed {
            return "\(place) closed the connection"
        }
        let text = String(describing: error)
        let known: [(needle: String, reason: String)] = [
            ("Connection refused", "\(place) refused the connection"),
            ("UnknownHost", "the host name in \(place) could not be resolved"),
            ("Name or service not known", "the host name in \(place) could not be resolved"),
            ("Network is unreachable", "the network to \(place) is unreachable"),
            ("No route to host", "there is no route to \(place)"),
            ("reset", "the connection to \(place) was reset"),
            ("closed", "\(place) closed the connection")
        ]
        return known.first { text.contains($0.needle) }?.reason ?? "the connection to \(place) failed"
    }
}
