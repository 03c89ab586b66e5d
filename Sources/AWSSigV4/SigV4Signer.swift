import Crypto
import Formats
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

        public init(
            normalizePath: Bool = true, addContentSHA256Header: Bool = false,
            omitSessionTokenFromSignature: Bool = false
        ) {
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
            payloadHash
        ].joined(separator: "\n")

        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope, SigV4Signer.hexSHA256(canonicalRequest)
        ].joined(separator: "\n")

        var authenticator = SigningKeyCache.shared.authenticator(
            secret: credentials.secretAccessKey, day: day, region: region, service: service)
        Self.withUTF8Bytes(of: stringToSign) { authenticator.update(data: $0) }
        let signature = authenticator.finalize().lowercaseHex
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
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

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, by integer arithmetic on the Unix time: a Calendar
    /// per request cost more than the rest of the signing (and formatters are not Sendable).
    public static func timestamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return String(unsafeUninitializedCapacity: 16) { bytes in
            var index = 0
            func put(_ value: Int, digits: Int) {
                var rest = Swift.max(0, value)  // years before 0 are not signing times
                for position in stride(from: index + digits - 1, through: index, by: -1) {
                    bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                index += digits
            }
            func put(_ character: Unicode.Scalar) {
                bytes[index] = UInt8(ascii: character)
                index += 1
            }
            put(year, digits: 4)
            put(month, digits: 2)
            put(day, digits: 2)
            put("T")
            put(secondOfDay / 3600, digits: 2)
            put(secondOfDay / 60 % 60, digits: 2)
            put(secondOfDay % 60, digits: 2)
            put("Z")
            return index
        }
    }

    /// Year, month and day of the proleptic Gregorian calendar for a day count from
    /// 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = daysSinceEpoch + 719_468  // days from 0000-03-01
        let era = floorDivision(shifted, 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDivision(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = ((value % divisor) + divisor) % divisor
        return ((value - remainder) / divisor, remainder)
    }

    public static func hexSHA256(_ data: Data) -> String { SHA256.hash(data: data).lowercaseHex }

    /// The hash of the text's UTF-8, read in place rather than copied into a `Data` first.
    static func hexSHA256(_ text: String) -> String {
        withUTF8Bytes(of: text) { SHA256.hash(data: $0) }.lowercaseHex
    }

    private static func withUTF8Bytes<Result>(of text: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        var text = text
        return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}
