import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL
import NIOTLS

/// One HTTP/1.1 request and its whole response on a connection of its own, built from SwiftNIO's parts
/// (NIOHTTP1's codecs frame the messages, NIOHTTPCompression's decompressor undoes gzip, NIOSSL does
/// TLS). `HTTPTransport` uses it for the two requests AsyncHTTPClient cannot send as Go does: a plain
/// `http://` request through a proxy, which Go sends to the proxy in absolute form (AsyncHTTPClient
/// always tunnels with CONNECT), and HTTPS with `server_name`, whose certificate Go checks against that
/// name only. Redirects are the transport's: one exchange per hop.
struct HTTP1Exchange: Sendable {
    /// TLS on the connection: BoringSSL validates the chain, then `verifyName` is checked Go's way
    /// (`CertificateHostname`) before any byte of the request is sent.
    struct TLS: Sendable {
        var context: NIOSSLContext
        /// The SNI name (Go sends none for an IP address).
        var serverHostname: String?
        /// The name the certificate must be valid for; nil with `insecure_skip_verify`.
        var verifyName: String?
    }

    /// Why an exchange failed, before `HTTPTransport` words it as Go's `*url.Error`.
    enum Failure: Error, Sendable {
        /// The TCP connection could not be made (the underlying NIO error).
        case connect(any Error)
        case deadline
        case bodyTooLarge
        /// Go's `x509.HostnameError` text.
        case hostname(String)
        /// The server closed the connection before a whole response (`afterHead`: inside the body).
        case closed(afterHead: Bool)
    }

    var host: String
    var port: Int
    var tls: TLS?
    var head: HTTPRequestHead
    var body: [UInt8]
    /// The largest (decompressed) body accepted.
    var maxBodyBytes: Int
    var deadline: NIODeadline

    /// Connects, sends, reads the response; completes on `loop`. Errors are `Failure`, NIO's HTTP parser
    /// and decompression errors, or NIOSSL's.
    func run(on loop: any EventLoop) -> EventLoopFuture<TransportResponse> {
        let promise = loop.makePromise(of: TransportResponse.self)
        let remaining = deadline - .now()
        guard remaining > .zero else {
            promise.fail(Failure.deadline)
            return promise.futureResult
        }
        let exchange = self
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(remaining)
            .channelInitializer { channel in
                do {
                    let sync = channel.pipeline.syncOperations
                    var sslHandler: NIOSSLClientHandler?
                    if let tls = exchange.tls {
                        let handler = try NIOSSLClientHandler(context: tls.context, serverHostname: tls.serverHostname)
                        try sync.addHandler(handler)
                        sslHandler = handler
                    }
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(NIOHTTPResponseDecompressor(limit: .size(exchange.maxBodyBytes)))
                    try sync.addHandler(Handler(exchange: exchange, sslHandler: sslHandler, promise: promise))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        let timer = loop.scheduleTask(deadline: deadline) { promise.fail(Failure.deadline) }
        bootstrap.connect(host: host, port: port).whenComplete { result in
            switch result {
            case .failure(let error):
                promise.fail(Failure.connect(error))
            case .success(let channel):
                promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
            }
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return promise.futureResult
    }

    // @unchecked: a channel handler lives on its channel's event loop; its state is touched only there.
    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart
        typealias OutboundOut = HTTPClientRequestPart

        let exchange: HTTP1Exchange
        let sslHandler: NIOSSLClientHandler?
        let promise: EventLoopPromise<TransportResponse>
        var responseHead: HTTPResponseHead?
        var body: [UInt8] = []
        var done = false

        init(exchange: HTTP1Exchange, sslHandler: NIOSSLClientHandler?, promise: EventLoopPromise<TransportResponse>) {
            self.exchange = exchange
            self.sslHandler = sslHandler
            self.promise = promise
        }

        func channelActive(context: ChannelHandlerContext) {
            // With TLS the request waits for the handshake and the name check: no header (credentials)
            // goes to a server that is not the one asked for.
            if exchange.tls == nil { send(context: context) }
            context.fireChannelActive()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted = event, let tls = exchange.tls {
                if let name = tls.verifyName {
                    guard let certificate = sslHandler?.peerCertificate else {
                        finish(.failure(Failure.hostname("x509: the server presented no certificate")), context: context)
                        return
                    }
                    if let problem = CertificateHostname.verify(CertificateHostname.Names(certificate), host: name) {
                        finish(.failure(Failure.hostname(problem)), context: context)
                        return
                    }
                }
                send(context: context)
            }
            context.fireUserInboundEventTriggered(event)
        }

        private func send(context: ChannelHandlerContext) {
            var head = exchange.head
            // Go's transport asks for gzip when the caller did not choose an encoding.
            if !head.headers.contains(name: "Accept-Encoding") { head.headers.add(name: "Accept-Encoding", value: "gzip") }
            if !exchange.body.isEmpty || head.method == .POST {
                head.headers.replaceOrAdd(name: "Content-Length", value: String(exchange.body.count))
            }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !exchange.body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: exchange.body)))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !done else { return }
            switch unwrapInboundIn(data) {
            case .head(let h):
                responseHead = h
            case .body(var b):
                if body.count + b.readableBytes > exchange.maxBodyBytes {
                    finish(.failure(Failure.bodyTooLarge), context: context)
                    return
                }
                body += b.readBytes(length: b.readableBytes) ?? []
            case .end:
                guard let h = responseHead else { return }
                let response = TransportResponse(status: Int(h.status.code), headers: h.headers.map { ($0.name, $0.value) }, body: body)
                finish(.success(response), context: context)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            finish(.failure(Failure.closed(afterHead: responseHead != nil)), context: context)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            finish(.failure(error), context: context)
        }

        private func finish(_ result: Result<TransportResponse, any Error>, context: ChannelHandlerContext) {
            guard !done else { return }
            done = true
            promise.completeWith(result)
            context.close(promise: nil)
        }
    }
}
