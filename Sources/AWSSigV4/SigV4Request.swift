import Foundation

/// An HTTP request as the signer sees it: everything that goes into the canonical request.
///
/// `path` is the raw (not percent-encoded) path and `query` the raw query string after `?`
/// (possibly percent-encoded already); the signer encodes both the way SigV4 requires.
/// Headers keep their order and duplicates, because SigV4 joins repeated headers in order.
public struct SigV4Request: Sendable, Hashable {
    public var method: String
    public var path: String
    public var query: String
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(
        method: String, path: String, query: String = "", headers: [(name: String, value: String)], body: Data = Data()
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    public static func == (lhs: SigV4Request, rhs: SigV4Request) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.query == rhs.query && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
        hasher.combine(query)
        hasher.combine(body)
        for header in headers {
            hasher.combine(header.name)
            hasher.combine(header.value)
        }
    }
}
