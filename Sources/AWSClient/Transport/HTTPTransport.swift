import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// The HTTP clients one run uses: a direct one, and one per configured proxy (AsyncHTTPClient
/// takes one proxy per client; it tunnels https with CONNECT and sends http in absolute form).
/// All of them trust the system's CAs plus the CA bundle, if any.
final class HTTPTransport: Sendable {
    let settings: NetworkSettings
    private let direct: HTTPClient
    private let httpsProxied: HTTPClient?
    private let httpProxied: HTTPClient?

    init(settings: NetworkSettings, connectTimeout: Duration) {
        self.settings = settings
        direct = Self.makeClient(settings: settings, proxy: nil, connectTimeout: connectTimeout)
        httpsProxied = settings.httpsProxy.map {
            Self.makeClient(settings: settings, proxy: $0, connectTimeout: connectTimeout)
        }
        httpProxied = settings.httpProxy.map {
            Self.makeClient(settings: settings, proxy: $0, connectTimeout: connectTimeout)
        }
    }

    /// The client for a request to `url`, honouring `NO_PROXY`.
    func client(for url: URL) -> HTTPClient {
        // With no proxy configured, skip the NO_PROXY match that every request would pay for.
        guard httpsProxied != nil || httpProxied != nil, settings.proxy(for: url) != nil else { return direct }
        let proxied = url.scheme?.lowercased() == "https" ? httpsProxied : httpProxied
        return proxied ?? direct
    }

    func shutdown() async throws {
        for client in [direct, httpsProxied, httpProxied].compactMap({ $0 }) {
            try await client.shutdown()
        }
    }

    /// Starts the shutdown without waiting (for `deinit` safety nets).
    func shutdownInBackground() {
        for client in [direct, httpsProxied, httpProxied].compactMap({ $0 }) {
            client.shutdown { _ in }
        }
    }

    /// One request without signing or retries (credential endpoints: IMDS, containers, SSO).
    func send(
        method: HTTPMethod, url: URL, headers: [(String, String)], body: [UInt8]? = nil, timeout: Duration
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "User-Agent", value: "reconcile/1 (swift)")
        if let body {
            request.headers.add(name: "Content-Length", value: String(body.count))
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client(for: url).execute(request, timeout: AWSClient.timeAmount(timeout))
        let bytes = try await response.body.collect(upTo: 1024 * 1024)
        return HTTPAnswer(
            statusCode: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Array(buffer: bytes))
    }

    private static func makeClient(
        settings: NetworkSettings, proxy: ProxyAddress?, connectTimeout: Duration
    ) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: AWSClient.timeAmount(connectTimeout))
        // Connections open on demand; the limit only has to stay above the commands' --concurrency.
        configuration.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        configuration.decompression = .disabled
        configuration.redirectConfiguration = .disallow
        // No tracer: a span per request cost CPU even with the no-op tracer bootstrapped.
        configuration.tracing.tracer = nil
        if let caBundle = settings.caBundle {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.additionalTrustRoots = [.file(caBundle)]
            configuration.tlsConfiguration = tls
        }
        if let proxy {
            let authorization = proxy.username.map {
                HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "")
            }
            configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
        }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
