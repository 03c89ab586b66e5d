import Foundation

/// How to reach endpoints, read as the AWS CLI reads it: extra CA certificates
/// (`AWS_CA_BUNDLE`, else the profile's `ca_bundle`) and proxies (`HTTPS_PROXY`, `HTTP_PROXY`,
/// `NO_PROXY`, in upper or lower case; the lower-case name wins when both are set, as in curl).
public struct NetworkSettings: Sendable, Equatable {
    public var caBundle: String?
    public var httpsProxy: ProxyAddress?
    public var httpProxy: ProxyAddress?
    public var noProxy: NoProxyRules

    public init(
        caBundle: String? = nil, httpsProxy: ProxyAddress? = nil, httpProxy: ProxyAddress? = nil,
        noProxy: NoProxyRules = NoProxyRules("")
    ) {
        self.caBundle = caBundle
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.noProxy = noProxy
    }

    /// Reads the variables; `profileCABundle` is the profile's `ca_bundle` setting.
    public init(environment: AWSEnvironment, profileCABundle: String? = nil) throws(NetworkSettingsError) {
        func variable(_ name: String) -> String? { environment[name.lowercased()] ?? environment[name.uppercased()] }
        caBundle = environment["AWS_CA_BUNDLE"] ?? profileCABundle.flatMap { $0.isEmpty ? nil : $0 }
        if let caBundle, !FileManager.default.isReadableFile(atPath: caBundle) {
            let source = environment["AWS_CA_BUNDLE"] != nil ? "AWS_CA_BUNDLE" : "the profile's ca_bundle"
            throw .unreadableCABundle(path: caBundle, source: source)
        }
        httpsProxy = nil
        httpProxy = nil
        if let text = variable("HTTPS_PROXY") { httpsProxy = try ProxyAddress(parsing: text, variable: "HTTPS_PROXY") }
        if let text = variable("HTTP_PROXY") { httpProxy = try ProxyAddress(parsing: text, variable: "HTTP_PROXY") }
        noProxy = NoProxyRules(variable("NO_PROXY") ?? "")
    }

    /// The proxy a request to `url` goes through, or nil for a direct connection.
    public func proxy(for url: URL) -> ProxyAddress? {
        guard let host = url.host, !noProxy.bypasses(host: host, port: url.port) else { return nil }
        return url.scheme?.lowercased() == "https" ? httpsProxy : httpProxy
    }
}

/// A proxy from `HTTPS_PROXY` / `HTTP_PROXY`: `[http://][user:password@]host[:port]`.
public struct ProxyAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String?
    /// Kept out of `description`, so a proxy can be printed.
    public var password: String?

    init(parsing text: String, variable: String) throws(NetworkSettingsError) {
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let components = URLComponents(string: withScheme), let host = components.host, !host.isEmpty,
            components.scheme?.lowercased() == "http"
        else { throw .invalidProxy(variable: variable) }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? 80
        username = components.user?.removingPercentEncoding
        password = components.password?.removingPercentEncoding
    }

    public var description: String { "\(host):\(port)" + (username == nil ? "" : " (with proxy authentication)") }
}

/// `NO_PROXY`: comma-separated hosts, domain suffixes (`.example.com` or `example.com`, both
/// also matching subdomains), IP addresses, optional `:port`, or `*` for every host — as curl
/// and Python's urllib (which botocore uses) read it.
public struct NoProxyRules: Sendable, Equatable {
    let entries: [String]
    let everything: Bool

    public init(_ text: String) {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        everything = parts.contains("*")
        entries = parts.filter { !$0.isEmpty && $0 != "*" }
    }

    public func bypasses(host rawHost: String, port: Int?) -> Bool {
        if everything { return true }
        let host = rawHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return entries.contains { entry in
            var name = entry
            if let colon = entry.lastIndex(of: ":"), !entry.contains("]"), entry.filter({ $0 == ":" }).count == 1 {
                guard let port, String(entry[entry.index(after: colon)...]) == String(port) else { return false }
                name = String(entry[..<colon])
            }
            name = name.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            let suffix = name.hasPrefix(".") ? String(name.dropFirst()) : name
            return host == suffix || host.hasSuffix("." + suffix)
        }
    }
}

/// Why the network settings cannot be used. The proxy URL is not repeated: it may hold a password.
public enum NetworkSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidProxy(variable: String)
    case unreadableCABundle(path: String, source: String)

    public var description: String {
        switch self {
        case .invalidProxy(let variable):
            return "\(variable) is not a proxy URL of the form http://[user:password@]host[:port]; fix or unset it."
        case .unreadableCABundle(let path, let source):
            return "The CA bundle '\(path)' from \(source) cannot be read; point it to a PEM file of CA certificates."
        }
    }
}
