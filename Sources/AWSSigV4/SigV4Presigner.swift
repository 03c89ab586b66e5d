import Crypto
import Formats
import Foundation

extension SigV4Signer {
    /// The result of query-string signing (a presigned URL's query).
    public struct Presignature: Sendable, Hashable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        /// The query parameters to append to the request's own, signature last, already encoded.
        public var queryItems: [(name: String, value: String)]

        public static func == (lhs: Presignature, rhs: Presignature) -> Bool {
            lhs.canonicalRequest == rhs.canonicalRequest && lhs.signature == rhs.signature
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(canonicalRequest)
            hasher.combine(signature)
        }
    }

    /// Signs `request` in its query string, valid for `expires` seconds from `date`.
    ///
    /// The signing parameters (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
    /// `X-Amz-Expires`, `X-Amz-SignedHeaders`, and the session token unless it is to be omitted)
    /// join the canonical query; only the request's own headers are signed.
    public func presign(_ request: SigV4Request, at date: Date, expires: Int) -> Presignature {
        let timestamp = SigV4Signer.timestamp(date)
        let day = String(timestamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let canonicalHeaders = CanonicalRequest.canonicalHeaders(request.headers)
        func encode(_ text: String) -> String { CanonicalRequest.uriEncode(text, keepSlash: false) }

        var signingItems: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", encode("\(credentials.accessKeyId)/\(scope)")),
            ("X-Amz-Date", timestamp),
            ("X-Amz-SignedHeaders", encode(canonicalHeaders.signedHeaders)),
            ("X-Amz-Expires", String(expires))
        ]
        let tokenItem = credentials.sessionToken.map { (name: "X-Amz-Security-Token", value: encode($0)) }
        if let tokenItem, !options.omitSessionTokenFromSignature { signingItems.append(tokenItem) }

        let query = ([request.query].filter { !$0.isEmpty } + signingItems.map { "\($0.name)=\($0.value)" }).joined(
            separator: "&")
        let canonicalRequest = [
            request.method.uppercased(),
            CanonicalRequest.canonicalPath(request.path, normalize: options.normalizePath),
            CanonicalRequest.canonicalQuery(query),
            canonicalHeaders.block,
            canonicalHeaders.signedHeaders,
            SigV4Signer.hexSHA256(request.body)
        ].joined(separator: "\n")
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope, SigV4Signer.hexSHA256(canonicalRequest)
        ].joined(separator: "\n")
        let key = SigV4Signer.signingKey(
            secret: credentials.secretAccessKey, day: day, region: region, service: service)
        let signature = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key).lowercaseHex
        var items = signingItems
        if let tokenItem, options.omitSessionTokenFromSignature { items.append(tokenItem) }
        items.append(("X-Amz-Signature", signature))
        return Presignature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature, queryItems: items)
    }
}
