import Formats
import Foundation

/// Turns an error answer into `AWSError` whatever protocol the body speaks.
///
/// JSON 1.1 errors carry `__type` (maybe `namespace#Code`) and `message`/`Message`; Query errors
/// carry `<ErrorResponse><Error><Code>`. Moto sends JSON errors as `application/json`, so the body
/// is sniffed rather than trusted to match the service's protocol.
enum ErrorDecoding {
    static func decode(
        service: AWSService, operation: String, statusCode: Int, headers: [(String, String)], body: [UInt8]
    ) -> Error {
        let requestId = header("x-amzn-RequestId", headers) ?? header("x-amz-request-id", headers)
        if let json = try? JSONValue.parse(Data(body)), let object = json.objectValue {
            let rawType =
                object["__type"]?.stringValue ?? object["code"]?.stringValue ?? object["Code"]?.stringValue
                ?? header("x-amzn-ErrorType", headers)
            if let rawType {
                return AWSError(
                    service: service, operation: operation, statusCode: statusCode, code: cleanCode(rawType),
                    message: object["message"]?.stringValue ?? object["Message"]?.stringValue ?? "",
                    requestId: requestId)
            }
        }
        if let root = try? XMLDocumentParser.parse(body), let error = root.firstDescendant("Error"),
            let code = error.child("Code")?.text, !code.isEmpty
        {
            return AWSError(
                service: service, operation: operation, statusCode: statusCode, code: code,
                message: error.child("Message")?.text ?? "",
                requestId: root.firstDescendant("RequestId")?.text ?? root.firstDescendant("RequestID")?.text
                    ?? requestId)
        }
        if let headerType = header("x-amzn-ErrorType", headers) {
            return AWSError(
                service: service, operation: operation, statusCode: statusCode, code: cleanCode(headerType),
                message: "",
                requestId: requestId)
        }
        return AWSClientError.unrecognizedErrorResponse(
            service: service, operation: operation, statusCode: statusCode, excerpt: AWSClientError.excerpt(body))
    }

    /// `com.amazonaws.kinesis.v20131202#ResourceNotFoundException` → `ResourceNotFoundException`;
    /// the header form `Code:http://...` → `Code`.
    static func cleanCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return code.trimmingCharacters(in: .whitespaces)
    }

    static func header(_ name: String, _ headers: [(String, String)]) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }.map(\.1)
    }
}
