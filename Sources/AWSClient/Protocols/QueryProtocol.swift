import Formats
import Foundation

/// The AWS Query protocol: form-encoded `Action`/`Version` plus flattened parameters, XML answers
/// shaped `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata/></ActionResponse>`.
enum QueryProtocol {
    static let contentType = "application/x-www-form-urlencoded; charset=utf-8"

    /// Returns the `<ActionResult>` element (an empty one when the action has no result, e.g. DeleteStack).
    static func call(
        client: AWSClient, service: AWSService, version: String, action: String, region: String, endpoint: URL,
        parameters: JSONValue
    ) async throws -> XMLNode {
        let form: String
        do {
            form = try QueryEncoding.formBody(action: action, version: version, parameters: parameters)
        } catch {
            throw AWSClientError.invalidParameters(
                service: service, operation: action, reason: "the parameters must be a JSON object")
        }
        let answer = try await client.post(
            service: service, operation: action, region: region, endpoint: endpoint,
            headers: [("Content-Type", contentType)], body: Data(form.utf8))
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
