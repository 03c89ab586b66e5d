import Formats
import Foundation

/// One AWS service in one region: the shared client that signs, paces and retries, and the
/// URL its requests go to.
struct ServiceEndpoint: Sendable {
    let client: AWSClient
    let service: AWSService
    let region: String
    let target: EndpointTarget
}

/// How a service's calls travel: request encoding, and the answer it decodes.
protocol WireProtocol: Sendable {
    /// The decoded JSON answer (JSON 1.1) or the `<ActionResult>` element (Query).
    associatedtype Answer: Sendable

    /// One API call by name with botocore-shaped input.
    func call(_ endpoint: ServiceEndpoint, _ name: String, _ input: JSONValue) async throws -> Answer
}

/// What the Kinesis, CloudFormation and STS clients have in common: an endpoint, the service's
/// wire protocol, and calls by operation or, for tests of the transport, by any API name.
protocol ServiceClient: Sendable {
    associatedtype Wire: WireProtocol

    static var wire: Wire { get }

    var endpoint: ServiceEndpoint { get }

    init(endpoint: ServiceEndpoint)
}

extension ServiceClient {
    /// An operation reconcile calls, with botocore-shaped input.
    func send(_ operation: AWSOperation, _ input: JSONValue) async throws -> Wire.Answer {
        try await send(operation.name, input)
    }

    /// The answer, or nil when AWS's error says the resource does not exist (`isMissing`).
    func send(
        _ operation: AWSOperation, _ input: JSONValue, nilWhen isMissing: (AWSError) -> Bool
    ) async throws -> Wire.Answer? {
        do {
            return try await send(operation, input)
        } catch let error as AWSError where isMissing(error) {
            return nil
        }
    }

    /// Any API name of the service, also ones reconcile never calls (tests of the transport).
    func send(_ name: String, _ input: JSONValue) async throws -> Wire.Answer {
        try await Self.wire.call(endpoint, name, input)
    }
}

extension AWSClient {
    /// The client of `Client`'s service in `region`.
    func serviceClient<Client: ServiceClient>(_ service: AWSService, region: String) throws -> Client {
        let target = try endpointTargets.target(service, region: region) { try endpoint(service, region: region) }
        return Client(endpoint: ServiceEndpoint(client: self, service: service, region: region, target: target))
    }
}
