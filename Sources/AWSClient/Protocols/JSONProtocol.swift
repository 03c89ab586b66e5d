import Formats
import Foundation

/// The AWS JSON 1.1 protocol: `X-Amz-Target: <prefix>.<Operation>`, a JSON object body, JSON answers.
enum JSONProtocol {
    static let contentType = "application/x-amz-json-1.1"

    static func call(
        client: AWSClient, service: AWSService, targetPrefix: String, operation: String, region: String, endpoint: URL,
        input: JSONValue
    ) async throws -> JSONValue {
        let body: JSONValue
        switch input {
        case .object: body = input
        case .null: body = .object([:])
        default:
            throw AWSClientError.invalidParameters(
                service: service, operation: operation, reason: "the input must be a JSON object")
        }
        let answer = try await client.post(
            service: service, operation: operation, region: region, endpoint: endpoint,
            headers: [("Content-Type", contentType), ("X-Amz-Target", "\(targetPrefix).\(operation)")],
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
