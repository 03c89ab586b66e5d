import Foundation

/// ECS, EKS Pod Identity and CodeBuild credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
/// (on 169.254.170.2) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, which botocore allows only over
/// https or to a loopback or ECS/EKS link-local address, with the authorization token from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read each time) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
struct ContainerCredentialProvider: CredentialProvider {
    let url: URL
    let tokenFile: String?
    let token: String?
    let context: CredentialContext

    static let allowedHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"]

    var sourceDescription: String { "container credentials (\(url.host ?? ""))" }

    /// nil when neither variable is set.
    static func make(context: CredentialContext) throws -> ContainerCredentialProvider? {
        let environment = context.environment
        let url: URL
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            guard let parsed = URL(string: "http://169.254.170.2" + relative) else {
                throw invalid("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a path")
            }
            url = parsed
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] {
            guard let parsed = URL(string: full), let host = parsed.host, isAllowed(scheme: parsed.scheme, host: host)
            else {
                throw invalid(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to a loopback address "
                        + "or 169.254.170.2 / 169.254.170.23 / fd00:ec2::23")
            }
            url = parsed
        } else {
            return nil
        }
        return ContainerCredentialProvider(
            url: url, tokenFile: environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"],
            token: environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], context: context)
    }

    static func isAllowed(scheme: String?, host rawHost: String) -> Bool {
        if scheme?.lowercased() == "https" { return true }
        guard scheme?.lowercased() == "http" else { return false }
        let host = rawHost.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if allowedHosts.contains(host) || host == "::1" { return true }
        let octets = host.split(separator: ".")
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    static func invalid(_ reason: String) -> CredentialProviderError {
        CredentialProviderError(source: "container credentials", reason: reason, fix: "fix the variable or unset it")
    }

    func fetch() async throws -> ExpiringCredentials {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let authorization = try authorizationToken() { headers.append(("Authorization", authorization)) }
        let source = "container credentials at \(url.host ?? "")"
        let answer: HTTPAnswer
        do {
            answer = try await CredentialHTTP.sendWithRetry(
                context: context, method: .GET, url: url, headers: headers, timeout: .seconds(2), attempts: 3)
        } catch {
            throw CredentialProviderError.unreachable(source: source)
        }
        guard answer.statusCode == 200 else {
            throw CredentialProviderError(
                source: source, reason: "the endpoint answered HTTP \(answer.statusCode)",
                fix: "check the task role and AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)")
        }
        return try CredentialHTTP.metadataCredentials(answer.body, source: source)
    }

    private func authorizationToken() throws -> String? {
        guard let tokenFile else { return token }
        guard let data = FileManager.default.contents(atPath: tokenFile) else {
            throw CredentialProviderError(
                source: "container credentials",
                reason: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '\(tokenFile)' cannot be read",
                fix: "check the path and its permissions")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
