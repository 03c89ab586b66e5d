/// Failures that are not an AWS error answer: the transport broke, the time ran out, or the
/// service answered something we cannot read. Descriptions are one clear sentence.
public enum AWSClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The connection failed (refused, reset, closed) on every attempt.
    case transport(service: AWSService, operation: String, attempts: Int, reason: String)
    /// No answer within the request timeout on every attempt.
    case timeout(service: AWSService, operation: String, attempts: Int)
    /// An error status whose body is neither a JSON nor an XML AWS error (e.g. an HTML page).
    case unrecognizedErrorResponse(service: AWSService, operation: String, statusCode: Int, excerpt: String)
    /// A success status whose body does not parse in the service's protocol.
    case undecodableResponse(service: AWSService, operation: String, statusCode: Int, excerpt: String)
    /// A successful answer that lacks a field the typed call needs.
    case missingField(service: AWSService, operation: String, field: String)
    /// Parameters that cannot be sent in the service's protocol (e.g. not a JSON object).
    case invalidParameters(service: AWSService, operation: String, reason: String)
    /// The client was used after `shutdown()`.
    case shutDown
    /// The TLS handshake failed: the endpoint's certificate is not trusted or not for its name.
    case untrustedCertificate(service: AWSService, operation: String, host: String, problem: CertificateProblem)
    /// The proxy answered 407: it needs (other) credentials in the proxy URL.
    case proxyRefused(service: AWSService, operation: String, host: String)

    public enum CertificateProblem: Sendable, Hashable {
        case untrusted, nameMismatch
    }

    public var description: String {
        switch self {
        case .transport(let service, let operation, let attempts, let reason):
            return
                "\(service.rawValue):\(operation) could not reach the endpoint after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason)"
        case .timeout(let service, let operation, let attempts):
            return "\(service.rawValue):\(operation) timed out after \(attempts) attempt\(attempts == 1 ? "" : "s")."
        case .unrecognizedErrorResponse(let service, let operation, let statusCode, let excerpt):
            return
                "\(service.rawValue):\(operation) failed with HTTP \(statusCode) and a body that is not an AWS error: \(excerpt)"
        case .undecodableResponse(let service, let operation, let statusCode, let excerpt):
            return
                "\(service.rawValue):\(operation) answered HTTP \(statusCode) with a body that could not be decoded: \(excerpt)"
        case .missingField(let service, let operation, let field):
            return "\(service.rawValue):\(operation) answered without the expected field \(field)."
        case .invalidParameters(let service, let operation, let reason):
            return "\(service.rawValue):\(operation) parameters cannot be sent: \(reason)"
        case .shutDown:
            return "The AWS client was used after it was shut down."
        case .untrustedCertificate(let service, let operation, let host, let problem):
            let what =
                problem == .nameMismatch
                ? "presented a certificate that does not match its name"
                : "presented a certificate that is not trusted (or the TLS handshake failed)"
            return "\(service.rawValue):\(operation): the endpoint \(host) \(what). If a private CA or a "
                + "TLS-inspecting proxy signs it, set AWS_CA_BUNDLE (or ca_bundle in the profile) to a PEM file "
                + "with that CA."
        case .proxyRefused(let service, let operation, let host):
            return "\(service.rawValue):\(operation): the proxy for \(host) asked for authentication (HTTP 407); "
                + "put user:password@ in HTTPS_PROXY / HTTP_PROXY."
        }
    }

    /// The HTTP status for errors that have one.
    public var statusCode: Int? {
        switch self {
        case .unrecognizedErrorResponse(_, _, let status, _), .undecodableResponse(_, _, let status, _): status
        default: nil
        }
    }

    /// A printable excerpt of a body: control characters flattened, at most `limit` characters.
    static func excerpt(_ bytes: [UInt8], limit: Int = 200) -> String {
        let text = String(decoding: bytes.prefix(limit * 4), as: UTF8.self)
            .map { $0.isNewline || $0 == "\t" ? " " : $0 }
        let collapsed = String(text).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        if collapsed.isEmpty { return "(empty body)" }
        return collapsed.count > limit ? String(collapsed.prefix(limit)) + "…" : collapsed
    }
}
