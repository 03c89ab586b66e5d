import AWSSigV4
import Foundation
import Testing

/// One case of AWS's SigV4 test suite (aws-c-auth layout): a folder with `context.json`,
/// `request.txt` and the expected `header-*` outputs.
struct SigV4TestCase: CustomTestStringConvertible, Sendable {
    let name: String
    let folder: URL

    var testDescription: String { name }

    /// Vendored under `Tests/Fixtures/` (with AWS's license and notice), so a fresh clone needs nothing else.
    static let suiteFolder: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/aws-sigv4-test-suite")

    /// The number of cases AWS publishes with header-signing expectations; a smaller count means
    /// vectors went missing from the repository.
    static let publishedCaseCount = 38

    /// Every case folder that has header-signing expectations. An absent suite yields one
    /// case that fails, so a missing folder is never mistaken for a pass.
    static var all: [SigV4TestCase] {
        let cases = cases(in: suiteFolder)
        return cases.isEmpty ? [SigV4TestCase(name: "missing suite", folder: suiteFolder)] : cases
    }

    static func cases(in suite: URL) -> [SigV4TestCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: suite.path)) ?? []
        return names.sorted().compactMap { name -> SigV4TestCase? in
            let folder = suite.appendingPathComponent(name)
            guard
                FileManager.default.fileExists(
                    atPath: folder.appendingPathComponent("header-canonical-request.txt").path)
            else { return nil }
            return SigV4TestCase(name: name, folder: folder)
        }
    }

    func read(_ file: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }
}

/// A case's `context.json` (snake_case keys, as the suite publishes them).
struct SuiteContext: Decodable {
    struct Keys: Decodable {
        let accessKeyId: String
        let secretAccessKey: String
        let token: String?
    }
    let credentials: Keys
    let region: String
    let service: String
    let timestamp: String
    let normalize: Bool
    let signBody: Bool
    let omitSessionToken: Bool?
    let expirationInSeconds: Int

    static func decode(_ json: String) throws -> SuiteContext {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(SuiteContext.self, from: Data(json.utf8))
    }

    /// The case's signer; presigned URLs never carry the payload-hash header.
    func signer(addingContentSHA256Header: Bool) -> SigV4Signer {
        SigV4Signer(
            credentials: Credentials(
                accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey,
                sessionToken: credentials.token),
            region: region, service: service,
            options: .init(
                normalizePath: normalize, addContentSHA256Header: addingContentSHA256Header,
                omitSessionTokenFromSignature: omitSessionToken ?? false))
    }
}

enum SuiteParseError: Error { case malformed(String) }

/// Parses the suite's raw HTTP request text. The request line's path may contain spaces,
/// and header lines starting with whitespace continue the previous header.
func parseSuiteRequest(_ text: String) throws -> SigV4Request {
    let (head, body): (Substring, Substring) = {
        if let range = text.range(of: "\n\n") { return (text[..<range.lowerBound], text[range.upperBound...]) }
        return (Substring(text), "")
    }()
    var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard !lines.isEmpty else { throw SuiteParseError.malformed("empty request") }
    let requestLine = lines.removeFirst()
    guard let firstSpace = requestLine.firstIndex(of: " "), requestLine.hasSuffix(" HTTP/1.1") else {
        throw SuiteParseError.malformed(requestLine)
    }
    let method = String(requestLine[..<firstSpace])
    let target = String(
        requestLine[requestLine.index(after: firstSpace)..<requestLine.index(requestLine.endIndex, offsetBy: -9)])
    let path: String
    let query: String
    if let mark = target.firstIndex(of: "?") {
        path = String(target[..<mark])
        query = String(target[target.index(after: mark)...])
    } else {
        path = target
        query = ""
    }
    var headers: [(name: String, value: String)] = []
    for line in lines where !line.isEmpty {
        if line.first == " " || line.first == "\t", !headers.isEmpty {
            headers[headers.count - 1].value += "\n" + line
            continue
        }
        guard let colon = line.firstIndex(of: ":") else { throw SuiteParseError.malformed(line) }
        headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
    }
    return SigV4Request(method: method, path: path, query: query, headers: headers, body: Data(body.utf8))
}

@Suite("SigV4 matches AWS's signing test suite")
struct SigV4TestSuiteTests {
    @Test("the vendored suite holds every published case")
    func suiteIsComplete() {
        #expect(SigV4TestCase.cases(in: SigV4TestCase.suiteFolder).count == SigV4TestCase.publishedCaseCount)
    }

    @Test(
        "header signing reproduces the canonical request, string to sign, signature and Authorization",
        arguments: SigV4TestCase.all)
    func headerSigning(_ testCase: SigV4TestCase) throws {
        try checkHeaderSigning(testCase)
    }

    func checkHeaderSigning(_ testCase: SigV4TestCase) throws {
        let context = try SuiteContext.decode(try testCase.read("context.json"))
        let request = try parseSuiteRequest(try testCase.read("request.txt"))
        let signer = context.signer(addingContentSHA256Header: context.signBody)
        let date = try #require(ISO8601DateFormatter().date(from: context.timestamp))
        let result = signer.sign(request, at: date)

        #expect(result.canonicalRequest == (try testCase.read("header-canonical-request.txt")))
        #expect(result.stringToSign == (try testCase.read("header-string-to-sign.txt")))
        #expect(
            result.signature
                == (try testCase.read("header-signature.txt")).trimmingCharacters(in: .whitespacesAndNewlines))

        // The signed request must carry exactly the expected extra headers, Authorization byte for byte.
        let expectedSigned = try parseSuiteRequest(try testCase.read("header-signed-request.txt"))
        let originalNames = Set(request.headers.map { $0.name.lowercased() })
        let expectedAdded = Dictionary(
            expectedSigned.headers.filter { !originalNames.contains($0.name.lowercased()) }.map {
                ($0.name.lowercased(), $0.value)
            },
            uniquingKeysWith: { first, _ in first })
        let actualAdded = Dictionary(
            result.orderedHeadersToAdd.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first }
        )
        #expect(actualAdded == expectedAdded)
        #expect(result.authorization == expectedAdded["authorization"])
    }

    @Test(
        "query-string signing reproduces the canonical request, string to sign and signature",
        arguments: SigV4TestCase.all)
    func querySigning(_ testCase: SigV4TestCase) throws {
        let context = try SuiteContext.decode(try testCase.read("context.json"))
        let request = try parseSuiteRequest(try testCase.read("request.txt"))
        let signer = context.signer(addingContentSHA256Header: false)
        let date = try #require(ISO8601DateFormatter().date(from: context.timestamp))
        let result = signer.presign(request, at: date, expires: context.expirationInSeconds)
        #expect(result.canonicalRequest == (try testCase.read("query-canonical-request.txt")))
        #expect(result.stringToSign == (try testCase.read("query-string-to-sign.txt")))
        #expect(
            result.signature
                == (try testCase.read("query-signature.txt")).trimmingCharacters(in: .whitespacesAndNewlines))
        let signedLine =
            try testCase.read("query-signed-request.txt").split(separator: "\n").first.map(String.init) ?? ""
        for item in result.queryItems {
            #expect(signedLine.contains("\(item.name)=\(item.value)"))
        }
    }

    @Test("the signing key follows AWS's documented derivation example")
    func signingKeyExample() {
        // From AWS's "Examples of how to derive a signing key for Signature Version 4".
        let key = SigV4Signer.signingKey(
            secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", day: "20120215", region: "us-east-1", service: "iam")
        let hex = key.withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test("credentials never print their secret or session token")
    func credentialsRedact() {
        let credentials = Credentials(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "SECRET-VALUE", sessionToken: "TOKEN-VALUE")
        for text in [String(describing: credentials), String(reflecting: credentials), "\(credentials)"] {
            #expect(!text.contains("SECRET-VALUE"))
            #expect(!text.contains("TOKEN-VALUE"))
            #expect(text.contains("AKIDEXAMPLE"))
        }
    }
}
