import Locking
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A real HTTP/1.1 server on 127.0.0.1 (SwiftNIO) for transport, client and scrape tests: every request is
/// recorded and answered by `respond` with any status, headers and bytes (gzip, invalid UTF-8, huge pages),
/// optionally after a delay (a slow server), never (a hung one), or cut short (a truncated body).
public final class TestHTTPServer: Sendable {
    /// A request as the server received it.
    public struct Request: Sendable {
        public var method: String
        public var uri: String
        public var headers: [(String, String)]
        public var body: [UInt8]

        public init(method: String = "GET", uri: String, headers: [(String, String)], body: [UInt8] = []) {
            self.method = method
            self.uri = uri
            self.headers = headers
            self.body = body
        }

        /// The body as UTF-8 text (form posts, JSON).
        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The first value of the header `name`, matched case-insensitively as HTTP names are.
        public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    /// The answer to one request.
    public struct Reply: Sendable {
        /// The text exposition format's content type, a scrape target's usual answer.
        public static let textExposition = "text/plain; version=0.0.4; charset=utf-8"

        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// Wait this long before answering.
        public var delayMillis: Int64
        /// Never answer (the connection stays open until the client gives up).
        public var hang: Bool
        /// Announce this `Content-Length`, send the body, and close the connection (a truncated body
        /// when it is larger than the body).
        public var announcedLength: Int?

        /// A reply of raw bytes, a text exposition unless `headers` say otherwise.
        public init(status: Int = 200, headers: [(String, String)] = [("Content-Type", textExposition)],
                    body: [UInt8] = [], delayMillis: Int64 = 0, hang: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delayMillis = delayMillis
            self.hang = hang
        }

        /// A text reply, JSON unless `headers` say otherwise (the HTTP API's answers).
        public init(status: Int = 200, headers: [(String, String)] = [("Content-Type", "application/json")], body: String,
                    delayMillis: Int64 = 0, hang: Bool = false) {
            self.init(status: status, headers: headers, body: Array(body.utf8), delayMillis: delayMillis, hang: hang)
        }

        /// A scrape target's page of `text`.
        public init(text: String, contentType: String = textExposition) {
            self.init(headers: [("Content-Type", contentType)], body: Array(text.utf8))
        }
    }

    /// The requests received so far (a class, so the server's handlers can share it).
    private final class Recorder: Sendable {
        let requests = SanitizedMutex<[Request]>([])
    }

    private let channel: Channel
    private let recorded: Recorder
    private let scheme: String
    /// The port the server listens on (chosen by the system).
    public let port: Int

    /// - Parameter tls: serve HTTPS with this configuration (see `TestTLSFiles.serverConfiguration`).
    public init(tls: TLSConfiguration? = nil, respond: @escaping @Sendable (Request) -> Reply) async throws {
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
                    channel.pipeline.addHandler(Handler(respond: respond) { r in recorded.requests.withLock { $0.append(r) } })
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        self.recorded = recorded
        scheme = tls == nil ? "http" : "https"
    }

    /// The server's base URL, `http://127.0.0.1:PORT` (or `https`).
    public var url: String { "\(scheme)://127.0.0.1:\(port)" }
    /// `127.0.0.1:PORT`, as a scrape config's target.
    public var address: String { "127.0.0.1:\(port)" }
    /// The requests received so far, in order.
    public var requests: [Request] { recorded.requests.withLock { $0 } }

    /// Closes the listening socket.
    public func stop() async { try? await channel.close() }

    // @unchecked: a channel handler lives on its channel's event loop; its state is touched only there.
    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let respond: @Sendable (Request) -> Reply
        let record: @Sendable (Request) -> Void
        var assembler = RequestAssembler()

        init(respond: @escaping @Sendable (Request) -> Reply, record: @escaping @Sendable (Request) -> Void) {
            self.respond = respond
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if let (head, request) = assembler.add(unwrapInboundIn(data)) {
                record(request)
                let reply = respond(request)
                if reply.hang { return }
                let send = { [self] in
                    var headers = HTTPHeaders(reply.headers)
                    headers.add(name: "Content-Length", value: String(reply.announcedLength ?? reply.body.count))
                    context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: reply.status), headers: headers))), promise: nil)
                    if reply.announcedLength != nil {
                        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))), promise: nil)
                        context.close(promise: nil)
                        return
                    }
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: reply.body)))), promise: nil)
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

/// Gathers the parts of a request a server pipeline reads (head, body pieces, end) into one `Request`.
struct RequestAssembler {
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    /// At the request's end: its head and the whole request; nil before.
    mutating func add(_ part: HTTPServerRequestPart) -> (HTTPRequestHead, TestHTTPServer.Request)? {
        switch part {
        case .head(let h):
            head = h
            body = []
        case .body(var b):
            body += b.readBytes(length: b.readableBytes) ?? []
        case .end:
            guard let head else { return nil }
            return (head, TestHTTPServer.Request(method: head.method.rawValue, uri: head.uri,
                                                 headers: head.headers.map { ($0.name, $0.value) }, body: body))
        }
        return nil
    }
}
