import NIOCore
import NIOHTTP1
import NIOPosix
import Locking
import NIOSSL

/// A real HTTP/1.1 server on 127.0.0.1 (SwiftNIO) for transport and client tests: every request is
/// recorded and answered by `respond`, optionally after a delay (a slow server) or never (a hung one).
final class TestHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var uri: String
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    struct Reply: Sendable {
        var status: Int = 200
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body: String = ""
        /// The body as raw bytes (binary formats); replaces `body` when set.
        var bytes: [UInt8]? = nil
        /// Wait this long before answering.
        var delayMillis: Int64 = 0
        /// Never answer (the connection stays open until the client gives up).
        var hang = false
    }

    /// The requests received so far.
    final class Recorder: Sendable {
        let requests = SanitizedMutex<[Request]>([])
    }

    private let channel: Channel
    private let recorded: Recorder
    private let scheme: String
    let port: Int

    /// - Parameter tls: serve HTTPS with this configuration (see `TestTLSFiles.serverConfiguration`).
    init(tls: TLSConfiguration? = nil, respond: @escaping @Sendable (Request) -> Reply) async throws {
        let recorded = Recorder()
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                if let sslContext {
                    do { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext)) } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                }
                return channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(respond: respond, record: { r in recorded.requests.withLock { $0.append(r) } }))
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        self.recorded = recorded
        scheme = tls == nil ? "http" : "https"
    }

    var url: String { "\(scheme)://127.0.0.1:\(port)" }
    var requests: [Request] { recorded.requests.withLock { $0 } }

    func stop() async {
        try? await channel.close()
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let respond: @Sendable (Request) -> Reply
        let record: @Sendable (Request) -> Void
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(respond: @escaping @Sendable (Request) -> Reply, record: @escaping @Sendable (Request) -> Void) {
            self.respond = respond
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body = []
            case .body(var b):
                body += b.readBytes(length: b.readableBytes) ?? []
            case .end:
                guard let head else { return }
                let request = Request(method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                                      body: String(decoding: body, as: UTF8.self))
                record(request)
                let reply = respond(request)
                if reply.hang { return }
                let send = { [self] in
                    var headers = HTTPHeaders(reply.headers)
                    let payload = reply.bytes ?? Array(reply.body.utf8)
                    headers.add(name: "Content-Length", value: String(payload.count))
                    context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: reply.status), headers: headers))), promise: nil)
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: payload)))), promise: nil)
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
                if reply.delayMillis > 0 {
                    context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(reply.delayMillis)) { send() }
                } else {
                    send()
                }
            }
        }
    }
}
