import AWSSigV4
import Formats
import Foundation
import NIOHTTP1

/// The plain HTTP calls of the container and instance-metadata providers.
enum CredentialHTTP {
    /// Retries connection failures and 5xx answers (metadata services restart); 4xx is final.
    static func sendWithRetry(
        context: CredentialContext, method: HTTPMethod, url: URL, headers: [(String, String)], timeout: Duration,
        attempts: Int
    ) async throws -> HTTPAnswer {
        var lastError: Error = CancellationError()
        for attempt in 1...max(1, attempts) {
            do {
                let body: [UInt8]? = method == .PUT ? [] : nil
                let answer = try await context.transport.send(
                    method: method, url: url, headers: headers, body: body, timeout: timeout)
                if answer.statusCode < 500 || attempt == attempts { return answer }
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`, as IMDS and ECS answer.
    static func metadataCredentials(_ body: [UInt8], source: String) throws -> ExpiringCredentials {
        guard let json = try? JSONValue.parse(Data(body)), let accessKey = json["AccessKeyId"]?.stringValue,
            let secretKey = json["SecretAccessKey"]?.stringValue
        else {
            throw CredentialProviderError(
                source: source, reason: "the answer holds no AccessKeyId and SecretAccessKey", fix: "check the endpoint"
            )
        }
        return ExpiringCredentials(
            Credentials(accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken: json["Token"]?.stringValue),
            expiration: json["Expiration"]?.stringValue.flatMap(AWSTimestamp.parse))
    }
}

extension CredentialProviderError {
    static let unreachableReason = "the endpoint could not be reached"

    static func unreachable(source: String) -> CredentialProviderError {
        CredentialProviderError(
            source: source, reason: unreachableReason, fix: "check that it runs and that no proxy is in the way")
    }
}
