import NIOCore
import NIOHTTP1
import NIOPosix

/// What a demo server answers to one request.
public struct DemoResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    /// Seconds to wait before answering (a slow target).
    public var delaySeconds: Double

    public init(status: Int = 200, contentType: String, body: [UInt8], delaySeconds: Double = 0) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.delaySeconds = delaySeconds
    }

    public init(status: Int = 200, contentType: String, text: String, delaySeconds: Double = 0) {
        self.init(status: status, contentType: contentType, body: Array(text.utf8), delaySeconds: delaySeconds)
    }

    static let notFound = DemoResponse(status: 404, contentType: "text/plain; charset=utf-8", text: "404 page not found\n")
}

/// A small HTTP/1.1 server on SwiftNIO bound to one host and port, answering every GET with what
/// `respond` returns for the request path (query string removed); nil is a 404. The demo's targets
/// and the probe's tests both serve through it, so what the tests scrape is what the demo serves.
public final class DemoHTTPServer: Sendable {
    private let channel: any Channel
    /// The bound port (the one asked for, or the one the system chose for port 0).
    public let port: Int
    public let host: String

    /// Binds `host:port` (port 0: any free port) and starts answering.
    public init(host: String = "127.0.0.1", port: Int, respond: @escaping @Sendable (String) -> DemoResponse?) async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(respond: respond))
                }
            }
        channel = try await bootstrap.bind(host: host, port: port).get()
        self.port = channel.localAddress?.port ?? port
        self.host = host
    }

    /// `host:port`, as a scrape config's target.
    public var address: String { "\(host):\(port)" }

    /// Stops accepting connections.
    public func stop() async { try? await channel.close() }

    /// Waits until the server is closed (the demo executable runs until interrupted).
    public func waitUntilClosed() async { try? await channel.closeFuture.get() }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let respond: @Sendable (String) -> DemoResponse?
        var head: HTTPRequestHead?

        init(respond: @escaping @Sendable (String) -> DemoResponse?) { self.respond = respond }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h): head = h
            case .body: break
            case .end:
                guard let head else { return }
                let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? head.uri
                let reply = respond(path) ?? .notFound
                let send = { [self] in
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: reply.contentType)
                    headers.add(name: "Content-Length", value: String(reply.body.count))
                    let status = HTTPResponseStatus(statusCode: reply.status)
                    context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))), promise: nil)
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
                if reply.delaySeconds > 0 {
                    let nanos = Int64(min(reply.delaySeconds, 3600) * 1e9)
                    context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanos)) { send() }
                } else {
                    send()
                }
            }
        }
    }
}
