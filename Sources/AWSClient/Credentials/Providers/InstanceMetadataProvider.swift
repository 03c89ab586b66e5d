import Foundation
import NIOHTTP1

/// The EC2 instance role, IMDSv2 only: `PUT /latest/api/token`, then the role name, then its
/// credentials, each with a short timeout and one retry. `AWS_EC2_METADATA_SERVICE_ENDPOINT`
/// moves it; `AWS_EC2_METADATA_DISABLED=true` turns it off (handled by the chain).
struct InstanceMetadataProvider: CredentialProvider {
    let endpoint: URL
    let context: CredentialContext

    static let defaultEndpoint = "http://169.254.169.254/"
    static let timeout: Duration = .seconds(1)

    var sourceDescription: String { "EC2 instance role (IMDSv2)" }

    private var source: String { "EC2 instance metadata at \(endpoint.host ?? "")" }

    func fetch() async throws -> ExpiringCredentials {
        let token = try await request(
            .PUT, "latest/api/token", headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
        let tokenText = String(decoding: token, as: UTF8.self)
        let authorized = [("X-aws-ec2-metadata-token", tokenText)]
        let roles = try await request(.GET, "latest/meta-data/iam/security-credentials/", headers: authorized)
        guard
            let role = String(decoding: roles, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init),
            !role.isEmpty
        else {
            throw CredentialProviderError(
                source: source, reason: "the instance has no IAM role",
                fix: "attach an instance profile to the instance")
        }
        let body = try await request(.GET, "latest/meta-data/iam/security-credentials/\(role)", headers: authorized)
        return try CredentialHTTP.metadataCredentials(body, source: source)
    }

    private func request(_ method: HTTPMethod, _ path: String, headers: [(String, String)]) async throws -> [UInt8] {
        let url = endpoint.appendingPathComponent(path)
        let answer: HTTPAnswer
        do {
            answer = try await CredentialHTTP.sendWithRetry(
                context: context, method: method, url: url, headers: headers, timeout: Self.timeout, attempts: 2)
        } catch {
            throw CredentialProviderError.unreachable(source: source)
        }
        guard answer.statusCode == 200 else {
            throw CredentialProviderError(
                source: source, reason: "\(method.rawValue) /\(path) answered HTTP \(answer.statusCode)",
                fix: "check that IMDSv2 is enabled and the hop limit allows this process")
        }
        return answer.body
    }
}
