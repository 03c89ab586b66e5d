import Formats
import Foundation

/// The AWS JSON 1.1 protocol: `X-Amz-Target: <prefix>.<Operation>`, a JSON object body, JSON answers.
struct JSONProtocol: WireProtocol {
    static let contentType = "application/x-amz-json-1.1"

    /// The service's target prefix, e.g. `Kinesis_20131202`.
    let targetPrefix: String

    func call(_ endpoint: ServiceEndpoint, _ operation: String, _ input: JSONValue) async throws -> JSONValue {
        let service = endpoint.service
        let body: JSONValue
        switch input {
        case .object: body = input
        case .null: body = .object([:])
        default:
            throw AWSClientError.invalidParameters(
                service: service, operation: operation, reason: "the input must be a JSON object")
        }
        let answer = try await endpoint.client.post(
            service: service, operation: operation, region: endpoint.region, endpoint: endpoint.target,
            headers: [("Content-Type", Self.contentType), ("X-Amz-Target", "\(targetPrefix).\(operation)")],
            body: body.serialized())
        if answer.body.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) { return .object([:]) }
        do {
            return try JSONValue.parse(Data(answer.body))
        } catch {
            throw AWSClientError.undecodableResponse(
                service: service, operation: operation, statusCode: answer.statusCode,
                excerpt: AWSClientError.excerpt(answer.body))
        }
    }
}
