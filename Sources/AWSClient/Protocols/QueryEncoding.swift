import AWSSigV4
import Formats

/// Encodes parameters for the AWS Query protocol (CloudFormation, STS).
///
/// Parameters come in botocore's JSON shape and are flattened as botocore's query serializer
/// does: structures → `Name.Key`, lists → `Name.member.N` (1-based; an empty list is sent as
/// `Name=` to mean "clear"), booleans → `true`/`false`, numbers as written, nulls omitted.
enum QueryEncoding {
    enum Failure: Error { case notAnObject }

    static func formBody(action: String, version: String, parameters: JSONValue) throws -> String {
        var pairs: [(String, String)] = [("Action", action), ("Version", version)]
        switch parameters {
        case .object(let members):
            for key in members.keys.sorted() {
                if let value = members[key] { flatten(value, prefix: key, into: &pairs) }
            }
        case .null:
            break
        default:
            throw Failure.notAnObject
        }
        return pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    static func flatten(_ value: JSONValue, prefix: String, into pairs: inout [(String, String)]) {
        switch value {
        case .null:
            break
        case .bool(let flag):
            pairs.append((prefix, flag ? "true" : "false"))
        case .int(let number):
            pairs.append((prefix, String(number)))
        case .double(let number):
            pairs.append(
                (prefix, number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)))
        case .string(let text):
            pairs.append((prefix, text))
        case .array(let items):
            if items.isEmpty {
                pairs.append((prefix, ""))
            }
            for (index, item) in items.enumerated() {
                flatten(item, prefix: "\(prefix).member.\(index + 1)", into: &pairs)
            }
        case .object(let members):
            for key in members.keys.sorted() {
                if let member = members[key] { flatten(member, prefix: "\(prefix).\(key)", into: &pairs) }
            }
        }
    }

    /// Form encoding byte-for-byte as botocore sends it (Python's `urlencode`): RFC 3986
    /// unreserved characters bare, a space as `+`, everything else `%XX`. Servers that check
    /// signatures by re-encoding the parsed form (moto does) then see the same bytes we signed.
    static func encode(_ text: String) -> String {
        PercentEncoding.encode(text, spaceAsPlus: true)
    }
}
