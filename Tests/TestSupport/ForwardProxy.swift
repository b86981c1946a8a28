import Locking
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal forwarding HTTP proxy on 127.0.0.1 (SwiftNIO), for the tests of plain `http://` requests
/// through `proxy_url`: it records each request as it arrived (the request line's target, absolute form
/// from a client that uses the proxy as Go does, and the headers, `Proxy-Authorization` included), then
/// forwards it in origin form to 127.0.0.1:`upstreamPort` whatever host was named (so tests can use
/// names that do not resolve), without the `Proxy-*` headers, and relays the response back unchanged
/// (compressed bodies stay compressed). It refuses `CONNECT` with 405: it is no tunnel.
public final class ForwardProxy: Sendable {
    private let channel: Channel
    private let recorded: Recorder
    /// The port the proxy listens on.
    public let port: Int

    private final class Recorder: Sendable {
        let requests = SanitizedMutex<[TestHTTPServer.Request]>([])
    }

    /// - Parameter upstreamPort: where every request is forwarded (on 127.0.0.1).
    public init(upstreamPort: Int) async throws {
        let recorded = Recorder()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Inbound(upstreamPort: upstreamPort) { r in recorded.requests.withLock { $0.append(r) } })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        self.recorded = recorded
    }

    /// `127.0.0.1:PORT`.
    public var address: String { "127.0.0.1:\(port)" }
    /// The requests received so far, in order (`uri` is the request line's target as sent).
    public var requests: [TestHTTPServer.Request] { recorded.requests.withLock { $0 } }

    /// Closes the listening socket.
    public func stop() async { try? await channel.close() }

    /// The origin-form target of an absolute-form one (`http://h:p/x?y` → `/x?y`).
    static func originForm(_ uri: String) -> String {
        let bytes = Array(uri.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes.count > colon + 2,
              bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/") else { return uri }
        let rest = Substring(String(decoding: bytes[(colon + 3)...], as: UTF8.self))
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let target = String(rest[slash...])
        return target.hasPrefix("/") ? target : "/" + target
    }

    // @unchecked: a channel handler lives on its channel's event loop; its state is touched only there.
    private final class Inbound: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let upstreamPort: Int
        let record: @Sendable (TestHTTPServer.Request) -> Void
        var assembler = RequestAssembler()

        init(upstreamPort: Int, record: @escaping @Sendable (TestHTTPServer.Request) -> Void) {
            self.upstreamPort = upstreamPort
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard let (head, request) = assembler.add(unwrapInboundIn(data)) else { return }
            record(request)
            if head.method == .CONNECT {
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: "0")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .methodNotAllowed, headers: headers))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                return
            }
            forward(head, body: request.body, context: context)
        }

        private func forward(_ head: HTTPRequestHead, body: [UInt8], context: ChannelHandlerContext) {
            var upstreamHead = head
            upstreamHead.uri = ForwardProxy.originForm(head.uri)
            for name in ["Proxy-Authorization", "Proxy-Connection"] { upstreamHead.headers.remove(name: name) }
            let downstream = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let requestBody = body
            let sentHead = upstreamHead
            ClientBootstrap(group: context.eventLoop)
                .channelInitializer { channel in
                    do {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(Relay(downstream: downstream))
                        return channel.eventLoop.makeSucceededVoidFuture()
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                }
                .connect(host: "127.0.0.1", port: upstreamPort)
                .whenComplete { result in
                    switch result {
                    case .failure:
                        let (handler, context) = downstream.value
                        var headers = HTTPHeaders()
                        headers.add(name: "Content-Length", value: "0")
                        context.write(handler.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .badGateway, headers: headers))), promise: nil)
                        context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
                    case .success(let upstream):
                        upstream.write(HTTPClientRequestPart.head(sentHead), promise: nil)
                        if !requestBody.isEmpty {
                            upstream.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: requestBody))), promise: nil)
                        }
                        upstream.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                    }
                }
        }
    }

    /// Passes the upstream's response parts to the client's connection.
    private final class Relay: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart

        let downstream: NIOLoopBound<(Inbound, ChannelHandlerContext)>
        var finished = false

        init(downstream: NIOLoopBound<(Inbound, ChannelHandlerContext)>) { self.downstream = downstream }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let (handler, client) = downstream.value
            switch unwrapInboundIn(data) {
            case .head(let h):
                client.write(handler.wrapOutboundOut(.head(h)), promise: nil)
            case .body(let b):
                client.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(b))), promise: nil)
            case .end:
                finished = true
                client.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
                context.close(promise: nil)
            }
        }

        /// The upstream went away inside a response: cut the client's connection too, as a proxy does.
        func channelInactive(context: ChannelHandlerContext) {
            if !finished { downstream.value.1.close(promise: nil) }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
