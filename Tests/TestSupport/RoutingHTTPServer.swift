import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP server on a free loopback port whose answers come from a function of the
/// request, for endpoints that have no local implementation (IMDS, container credentials,
/// the IAM Identity Center portal and OIDC). It records every request.
public final class RoutingHTTPServer: @unchecked Sendable {
    public typealias Request = ScriptedHTTPServer.Request
    public typealias Reply = ScriptedHTTPServer.Reply

    private let lock = NSLock()
    private var received: [Request] = []
    private let route: @Sendable (Request) -> Reply
    private var channel: Channel?
    public private(set) var port: Int = 0

    public var endpoint: String { "http://127.0.0.1:\(port)" }
    public var requests: [Request] { lock.withLock { received } }

    public init(route: @escaping @Sendable (Request) -> Reply) async throws {
        self.route = route
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RoutingHandler(server: self))
                }
            }
        let bound = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        channel = bound
        port = bound.localAddress?.port ?? 0
    }

    public func shutdown() async throws {
        try await channel?.close()
    }

    fileprivate func answer(_ request: Request) -> Reply {
        lock.withLock { received.append(request) }
        return route(request)
    }
}

private final class RoutingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: RoutingHTTPServer
    private var head: HTTPRequestHead?
    private var body = ""

    init(server: RoutingHTTPServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = ""
        case .body(let buffer):
            body += String(buffer: buffer)
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for header in head.headers { headers[header.name.lowercased()] = header.value }
            let reply = server.answer(
                RoutingHTTPServer.Request(method: "\(head.method)", uri: head.uri, headers: headers, body: body))
            respond(reply, context: context)
        }
    }

    private func respond(_ reply: RoutingHTTPServer.Reply, context: ChannelHandlerContext) {
        switch reply {
        case .dropConnection:
            context.close(promise: nil)
        case .delayed(_, let inner):
            respond(inner, context: context)
        case .respond(let status, let extraHeaders, let text):
            var headers = HTTPHeaders(extraHeaders.map { ($0.key, $0.value) })
            let buffer = context.channel.allocator.buffer(string: text)
            headers.replaceOrAdd(name: "Content-Length", value: String(buffer.readableBytes))
            let head = HTTPResponseHead(
                version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
