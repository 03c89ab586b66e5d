import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny HTTP server on a free loopback port that answers from a script, for what moto cannot
/// do: throttling, 5xx, dropped connections, slow answers. It records every request it sees.
///
/// Replies are taken in order; once the script runs out, `fallback` answers every request.
public final class ScriptedHTTPServer: @unchecked Sendable {
    /// What to do with one request.
    public indirect enum Reply: Sendable {
        case respond(status: Int, headers: [String: String] = [:], body: String = "")
        /// Close the connection without answering (the client sees a reset/closed connection).
        case dropConnection
        /// Answer after a pause (for timeouts).
        case delayed(milliseconds: Int64, Reply)

        /// A Kinesis-style JSON error, as AWS sends it.
        public static func jsonError(status: Int, code: String, message: String = "") -> Reply {
            .respond(
                status: status,
                headers: ["Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "req-\(code)"],
                body: #"{"__type":"\#(code)","message":"\#(message)"}"#)
        }

        /// A Query-style XML error, as CloudFormation sends it.
        public static func xmlError(status: Int, code: String, message: String = "") -> Reply {
            .respond(
                status: status, headers: ["Content-Type": "text/xml"],
                body:
                    "<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error><RequestId>req-1</RequestId></ErrorResponse>"
            )
        }

        public static func json(_ body: String) -> Reply {
            .respond(status: 200, headers: ["Content-Type": "application/x-amz-json-1.1"], body: body)
        }
    }

    /// A request as received.
    public struct Request: Sendable {
        public var method: String
        public var uri: String
        public var headers: [String: String]
        public var body: String
    }

    private let lock = NSLock()
    private var script: [Reply]
    private let fallback: Reply
    /// Answers from a function of the request instead of the script (`init(route:)`).
    private let route: (@Sendable (Request) -> Reply)?
    private var received: [Request] = []
    private var channel: Channel?
    public private(set) var port: Int = 0

    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Everything received so far, in order.
    public var requests: [Request] { lock.withLock { received } }

    public convenience init(script: [Reply], fallback: Reply = .json("{}")) async throws {
        try await self.init(script: script, fallback: fallback, route: nil)
    }

    /// Answers each request with `route(request)`: for endpoints that have no local
    /// implementation (IMDS, container credentials, the IAM Identity Center portal and OIDC).
    public convenience init(route: @escaping @Sendable (Request) -> Reply) async throws {
        try await self.init(script: [], fallback: .json("{}"), route: route)
    }

    private init(script: [Reply], fallback: Reply, route: (@Sendable (Request) -> Reply)?) async throws {
        self.script = script
        self.fallback = fallback
        self.route = route
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(server: self))
                }
            }
        let bound = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        channel = bound
        port = bound.localAddress?.port ?? 0
    }

    public func shutdown() async throws {
        try await channel?.close()
    }

    fileprivate func record(_ request: Request) -> Reply {
        let scripted: Reply? = lock.withLock {
            received.append(request)
            guard route == nil else { return nil }
            return script.isEmpty ? fallback : script.removeFirst()
        }
        return scripted ?? route?(request) ?? fallback
    }
}

private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: ScriptedHTTPServer
    private var head: HTTPRequestHead?
    private var body = ""

    init(server: ScriptedHTTPServer) {
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
            let reply = server.record(
                ScriptedHTTPServer.Request(method: "\(head.method)", uri: head.uri, headers: headers, body: body))
            perform(reply, context: context)
        }
    }

    private func perform(_ reply: ScriptedHTTPServer.Reply, context: ChannelHandlerContext) {
        switch reply {
        case .dropConnection:
            context.close(promise: nil)
        case .delayed(let milliseconds, let inner):
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(milliseconds)) {
                let (handler, context) = loopBound.value
                handler.perform(inner, context: context)
            }
        case .respond(let status, let extraHeaders, let text):
            var headers = HTTPHeaders(extraHeaders.map { ($0.key, $0.value) })
            let buffer = context.channel.allocator.buffer(string: text)
            headers.replaceOrAdd(name: "Content-Length", value: String(buffer.readableBytes))
            let responseHead = HTTPResponseHead(
                version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
