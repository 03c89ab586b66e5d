import Foundation

/// Why an endpoint could not be formed.
public enum EndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String, source: String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let source):
            return "The endpoint URL '\(url)' from \(source) is not an http or https URL."
        }
    }
}

/// Picks the endpoint: `--endpoint-url`, `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`,
/// then the regional AWS endpoint (`amazonaws.com.cn` in the China partition).
public enum EndpointResolver {
    public static func endpoint(
        for service: AWSService, region: String, cliEndpoint: String?, environment: AWSEnvironment
    ) throws -> URL {
        let candidates: [(String?, String)] = [
            (cliEndpoint, "--endpoint-url"),
            (environment[service.endpointVariable], service.endpointVariable),
            (environment["AWS_ENDPOINT_URL"], "AWS_ENDPOINT_URL")
        ]
        for case (let value?, let source) in candidates where !value.isEmpty {
            guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https",
                url.host != nil
            else { throw EndpointError.invalidURL(value, source: source) }
            return url
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        let text = "https://\(service.rawValue).\(region).\(suffix)"
        guard let url = URL(string: text) else { throw EndpointError.invalidURL(text, source: "region '\(region)'") }
        return url
    }
}
