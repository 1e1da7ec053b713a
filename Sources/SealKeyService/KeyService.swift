public import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import SealCrypto
public import ServiceLifecycle

/// `sealpress keys serve`: the remote signing service on Hummingbird 2 over mutual TLS.
///
/// The TLS layer requires a client certificate issued by the client CA (else the handshake fails); each request
/// is then authorised from that certificate (subject CN or SHA-256) against the keys file, answered by
/// ``SigningDesk`` and logged. A `Service` for swift-service-lifecycle: SIGTERM/SIGINT drain it gracefully.
public struct KeyService: Service {
    /// Where and with what the service listens.
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        public var tlsCertificatePath: String
        public var tlsKeyPath: String
        public var clientCAPath: String

        public init(host: String, port: Int, tlsCertificatePath: String, tlsKeyPath: String, clientCAPath: String) {
            self.host = host
            self.port = port
            self.tlsCertificatePath = tlsCertificatePath
            self.tlsKeyPath = tlsKeyPath
            self.clientCAPath = clientCAPath
        }

        /// Parses `HOST:PORT` (`[::1]:8443` for IPv6; port 0 picks a free one).
        public static func listenAddress(_ text: String) throws(KeyServiceError) -> (host: String, port: Int) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                (0...65535).contains(port)
            else {
                throw KeyServiceError(.listen, "--listen must be HOST:PORT, e.g. 0.0.0.0:8443")
            }
            var host = String(text[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { throw KeyServiceError(.listen, "--listen must be HOST:PORT, e.g. 0.0.0.0:8443") }
            return (host, port)
        }
    }

    private let options: Options
    private let desk: SigningDesk
    private let tls: TLSConfiguration
    private let logger: Logger
    private let onListening: @Sendable (Int) -> Void

    /// Loads the TLS material; keys and grants are already loaded.
    ///
    /// - Parameter onListening: called with the bound port once the service accepts connections.
    public init(
        options: Options, configuration: KeyServiceConfiguration, keys: KeyRing, log: SigningLog, logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws(KeyServiceError) {
        var tls: TLSConfiguration
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(options.tlsCertificatePath)
            let key = try NIOSSLPrivateKey(file: options.tlsKeyPath, format: .pem)
            tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        } catch {
            throw KeyServiceError(
                .tlsMaterial, "cannot load --tls-cert \(options.tlsCertificatePath) and --tls-key \(options.tlsKeyPath) (PEM, key unencrypted)")
        }
        do {
            let roots = try NIOSSLCertificate.fromPEMFile(options.clientCAPath)
            guard !roots.isEmpty else { throw KeyServiceError(.tlsMaterial, "") }
            tls.trustRoots = .certificates(roots)
        } catch {
            throw KeyServiceError(.tlsMaterial, "cannot load --client-ca \(options.clientCAPath) (PEM certificates)")
        }
        // A client certificate is REQUIRED and must chain to --client-ca (no hostname: clients are not servers).
        tls.certificateVerification = .noHostnameVerification
        tls.minimumTLSVersion = .tlsv12
        tls.sendCANameList = true
        self.tls = tls
        self.options = options
        self.desk = SigningDesk(configuration: configuration, keys: keys, log: log)
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let router = Router(context: SigningRequestContext.self)
        let desk = self.desk
        router.get("/keys/:name") { _, context in
            let client = try await context.clientIdentity()
            return Self.response(desk.describe(key: try context.parameters.require("name"), client: client))
        }
        router.post("/keys/:name/sign") { request, context in
            let client = try await context.clientIdentity()
            var request = request
            let body = try await request.collectBody(upTo: 64 * 1024)
            return Self.response(
                await desk.sign(key: try context.parameters.require("name"), client: client, body: Data(body.readableBytesView)))
        }
        let onListening = self.onListening
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: "sealpress-keys"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await app.run()
    }

    static func response(_ answer: SigningDesk.Answer) -> Response {
        Response(
            status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

/// The request context: Hummingbird's core storage plus the connection's channel (for the client certificate).
struct SigningRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The verified client certificate's identity (the TLS layer refused connections without one).
    func clientIdentity() async throws -> ClientIdentity {
        guard let certificate = try await channel.nioSSL_peerCertificate().get() else {
            throw HTTPError(.forbidden, message: "a client certificate is required")
        }
        let der = try certificate.toDERBytes()
        let parsed = try? Certificate(der: der)
        return ClientIdentity(commonName: parsed?.subjectName.commonName, certificateSHA256: Hex.string(Digest.hash(.sha256, der)))
    }
}
