import NIOCore
import NIOHTTP1
import NIOPosix
import Locking

/// A minimal HTTP CONNECT proxy on 127.0.0.1: it records each CONNECT (target and headers), opens
/// the tunnel to the real target, whatever name was asked for (so tests can use names that do not
/// resolve), and then copies bytes both ways.
final class TunnelProxy: Sendable {
    struct Connect: Sendable {
        var target: String
        var headers: [(String, String)]
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    private let channel: Channel
    private let box: RecorderBox
    let port: Int

    /// - Parameter upstreamPort: where every tunnel goes (127.0.0.1).
    init(upstreamPort: Int) async throws {
        let box = RecorderBox()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
                let encoder = HTTPResponseEncoder()
                do {
                    try channel.pipeline.syncOperations.addHandler(decoder)
                    try channel.pipeline.syncOperations.addHandler(encoder)
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectHandler(upstreamPort: upstreamPort, decoder: decoder, encoder: encoder) { c in box.add(c) })
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        self.box = box
    }

    var address: String { "127.0.0.1:\(port)" }
    var connects: [Connect] { box.all }

    func stop() async { try? await channel.close() }

    private final class RecorderBox: Sendable {
        private let items = SanitizedMutex<[Connect]>([])
        func add(_ c: Connect) { items.withLock { $0.append(c) } }
        var all: [Connect] { items.withLock { $0 } }
    }

    private final class ConnectHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let upstreamPort: Int
        let decoder: ByteToMessageHandler<HTTPRequestDecoder>
        let encoder: HTTPResponseEncoder
        let record: @Sendable (Connect) -> Void
        var head: HTTPRequestHead?

        init(upstreamPort: Int, decoder: ByteToMessageHandler<HTTPRequestDecoder>, encoder: HTTPResponseEncoder,
             record: @escaping @Sendable (Connect) -> Void) {
            self.upstreamPort = upstreamPort
            self.decoder = decoder
            self.encoder = encoder
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h): head = h
            case .body: break
            case .end:
                guard let head, head.method == .CONNECT else {
                    context.close(promise: nil)
                    return
                }
                record(Connect(target: head.uri, headers: head.headers.map { ($0.name, $0.value) }))
                let downstream = context.channel
                let loop = context.eventLoop
                let bound = NIOLoopBound((self, context), eventLoop: loop)
                ClientBootstrap(group: loop).connect(host: "127.0.0.1", port: upstreamPort).whenComplete { result in
                    loop.execute {
                        switch result {
                        case .failure:
                            downstream.close(promise: nil)
                        case .success(let upstream):
                            let (handler, context) = bound.value
                            handler.startTunnel(context: context, upstream: upstream)
                        }
                    }
                }
            }
        }

        private func startTunnel(context: ChannelHandlerContext, upstream: Channel) {
            let response = HTTPResponseHead(version: .http1_1, status: .ok)
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            let downstream = context.channel
            let pipeline = downstream.pipeline.syncOperations
            pipeline.removeHandler(encoder, promise: nil)
            pipeline.removeHandler(context: context, promise: nil)
            let (a, b) = Glue.pair()
            do {
                try upstream.pipeline.syncOperations.addHandler(a)
                try pipeline.addHandler(b)
                pipeline.removeHandler(decoder, promise: nil)
            } catch {
                downstream.close(promise: nil)
                upstream.close(promise: nil)
            }
        }
    }

    /// Two handlers that pass each other's reads on (NIO's "glue" pattern).
    private final class Glue: ChannelDuplexHandler, @unchecked Sendable {
        typealias InboundIn = NIOAny
        typealias OutboundIn = NIOAny
        typealias OutboundOut = NIOAny

        private var partner: Glue?
        private var context: ChannelHandlerContext?

        static func pair() -> (Glue, Glue) {
            let a = Glue()
            let b = Glue()
            a.partner = b
            b.partner = a
            return (a, b)
        }

        func handlerAdded(context: ChannelHandlerContext) { self.context = context }
        func handlerRemoved(context: ChannelHandlerContext) { self.context = nil; partner = nil }

        private func partnerWrite(_ data: NIOAny) { context?.writeAndFlush(data, promise: nil) }
        private func partnerClose() { context?.close(promise: nil) }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) { partner?.partnerWrite(data) }
        func channelInactive(context: ChannelHandlerContext) { partner?.partnerClose() }
    }
}
