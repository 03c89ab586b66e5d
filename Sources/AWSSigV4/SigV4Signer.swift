import Crypto
import Foundation

/// Signs requests with AWS Signature Version 4 (header signing).
///
/// The clock is injected: `sign(_:at:)` takes the signing time, so tests use fixed dates
/// and the client passes `Date()`.
public struct SigV4Signer: Sendable {
    public var credentials: Credentials
    public var region: String
    public var service: String
    public var options: Options

    /// Variations of the algorithm that AWS services and the test suite exercise.
    public struct Options: Sendable, Hashable {
        /// Remove `.`/`..` segments and repeated slashes from the path (every service but S3).
        public var normalizePath: Bool
        /// Add `X-Amz-Content-Sha256` with the payload hash and sign it (S3-style services).
        public var addContentSHA256Header: Bool
        /// Add `X-Amz-Security-Token` after signing instead of signing it (some services, e.g. IoT, want this).
        public var omitSessionTokenFromSignature: Bool

        public init(normalizePath: Bool = true, addContentSHA256Header: Bool = false, omitSessionTokenFromSignature: Bool = false) {
            self.normalizePath = normalizePath
            self.addContentSHA256Header = addContentSHA256Header
            self.omitSessionTokenFromSignature = omitSessionTokenFromSignature
        }
    }

    /// Everything a signing produced. `headersToAdd` are the headers the request must carry
    /// (X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256, Authorization) in that order.
    public struct Signature: Sendable, Hashable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        public var authorization: String
        public var headersToAdd: [String: String]
        public var headerOrder: [String]

        /// The added headers in the order they were produced.
        public var orderedHeadersToAdd: [(name: String, value: String)] {
            headerOrder.compactMap { name in headersToAdd[name].map { (name, $0) } }
        }
    }

    public init(credentials: Credentials, region: String, service: String, options: Options = Options()) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
    }

    /// Signs `request` as of `date`.
    public func sign(_ request: SigV4Request, at date: Date) -> Signature {
        let timestamp = SigV4Signer.timestamp(date)
        let day = String(timestamp.prefix(8))
        let payloadHash = SigV4Signer.hexSHA256(request.body)

        var headerOrder: [String] = []
        var added: [String: String] = [:]
        var signedInput = request.headers
        func add(_ name: String, _ value: String, signed: Bool) {
            headerOrder.append(name)
            added[name] = value
            if signed { signedInput.append((name, value)) }
        }
        add("X-Amz-Date", timestamp, signed: true)
        if let token = credentials.sessionToken {
            add("X-Amz-Security-Token", token, signed: !options.omitSessionTokenFromSignature)
        }
        if options.addContentSHA256Header {
            add("X-Amz-Content-Sha256", payloadHash, signed: true)
        }

        let canonicalHeaders = CanonicalRequest.canonicalHeaders(signedInput)
        let canonicalRequest = [
            request.method.uppercased(),
            CanonicalRequest.canonicalPath(request.path, normalize: options.normalizePath),
            CanonicalRequest.canonicalQuery(request.query),
            canonicalHeaders.block,
            canonicalHeaders.signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope, SigV4Signer.hexSHA256(Data(canonicalRequest.utf8)),
        ].joined(separator: "\n")

        let key = SigV4Signer.signingKey(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        let signature = SigV4Signer.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(canonicalHeaders.signedHeaders), Signature=\(signature)"
        add("Authorization", authorization, signed: false)
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            authorization: authorization, headersToAdd: added, headerOrder: headerOrder)
    }

    /// The derived key: HMAC chain over date, region, service and "aws4_request".
    public static func signingKey(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secret)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, computed without a shared formatter (formatters are not Sendable).
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2) + "T"
            + pad(parts.hour, 2) + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
    }

    public static func hexSHA256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
