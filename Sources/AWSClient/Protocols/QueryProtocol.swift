import Formats
import Foundation

/// The AWS Query protocol: form-encoded `Action`/`Version` plus flattened parameters, XML answers
/// shaped `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata/></ActionResponse>`.
struct QueryProtocol: WireProtocol {
    static let contentType = "application/x-www-form-urlencoded; charset=utf-8"

    /// The API version, e.g. `2010-05-15`.
    let version: String

    /// Returns the `<ActionResult>` element (an empty one when the action has no result, e.g. DeleteStack).
    func call(_ endpoint: ServiceEndpoint, _ action: String, _ parameters: JSONValue) async throws -> XMLNode {
        let service = endpoint.service
        let form: String
        do {
            form = try QueryEncoding.formBody(action: action, version: version, parameters: parameters)
        } catch {
            throw AWSClientError.invalidParameters(
                service: service, operation: action, reason: "the parameters must be a JSON object")
        }
        let answer = try await endpoint.client.post(
            service: service, operation: action, region: endpoint.region, endpoint: endpoint.target,
            headers: [("Content-Type", Self.contentType)], body: Data(form.utf8))
        let root: XMLNode
        do {
            root = try XMLDocumentParser.parse(answer.body)
        } catch {
            throw AWSClientError.undecodableResponse(
                service: service, operation: action, statusCode: answer.statusCode,
                excerpt: AWSClientError.excerpt(answer.body))
        }
        return root.child("\(action)Result") ?? XMLNode(name: "\(action)Result")
    }
}
