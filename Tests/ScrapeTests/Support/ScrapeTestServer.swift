import NIOCore
import NIOHTTP1
import NIOPosix
import Locking
import NIOSSL

/// A real HTTP/1.1 server on 127.0.0.1 (SwiftNIO) that plays a scrape target: byte bodies (so tests can
/// send gzip, invalid UTF-8 or huge pages), any headers, a delay, or no answer at all.
final class ScrapeTestServer: Sendable {
    struct Request: Sendable {
        var uri: String
        var headers: [(String, String)]
        var method = "GET"
        var body: [UInt8] = []
        var bodyText: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    struct Reply: Sendable {
        var status: Int = 200
        var headers: [(String, String)] = [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")]
        var body: [UInt8] = []
        var delayMillis: Int64 = 0
        var hang = false
        /// Announce this `Content-Length`, send the body, and close the connection (a truncated body
        /// when it is larger than the body).
        var announcedLength: Int?

        init(status: Int = 200, headers: [(String, String)] = [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
             body: [UInt8] = [], delayMillis: Int64 = 0, hang: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delayMillis = delayMillis
            self.hang = hang
        }

        init(text: String, contentType: String = "text/plain; version=0.0.4; charset=utf-8") {
            self.init(headers: [("Content-Type", contentType)], body: Array(text.utf8))
        }
    }

    /// The requests received so far (a class, so the server's handlers can share it).
    private final class Recorder: Sendable {
        let requests = SanitizedMutex<[Request]>([])
    }

    private let channel: Channel
    private let recorded: Recorder
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
                    channel.pipeline.addHandler(Handler(respond: respond) { r in recorded.requests.withLock { $0.append(r) } })
                }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        self.recorded = recorded
    }

    var address: String { "127.0.0.1:\(port)" }
    var requests: [Request] { recorded.requests.withLock { $0 } }

    func stop() async { try? await channel.close() }

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
            case .body(var b): body += b.readBytes(length: b.readableBytes) ?? []
            case .end:
                guard let head else { return }
                let request = Request(uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, method: head.method.rawValue, body: body)
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

/// A gzip member holding `data` in stored (uncompressed) deflate blocks: enough to test that the scraper
/// asks for and decodes gzip, without a compression library in the tests.
func gzipStored(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
    var offset = 0
    repeat {
        let n = min(65535, data.count - offset)
        let last: UInt8 = offset + n == data.count ? 1 : 0
        out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
        out += data[offset..<(offset + n)]
        offset += n
    } while offset < data.count
    var crc: UInt32 = 0xFFFF_FFFF
    for b in data {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    crc = ~crc
    for v in [crc, UInt32(truncatingIfNeeded: data.count)] {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }
    return out
}
