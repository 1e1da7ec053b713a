public import Foundation
public import SealConsole
public import SealCrypto
public import SealStatus

/// Everything `sealpress serve` needs to start.
public struct ServeConfiguration: Sendable {
    public var listen: ListenAddress
    /// libpq conninfo or URL of the installation's database.
    public var databaseURL: String
    /// PEM certificate chain and private key; both or neither.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Signs status responses; without it the status routes answer 503 (checkpoints are signed when written).
    public var statusSigner: StatusSigner?
    /// `Cache-Control: max-age` of status responses, in seconds.
    public var statusMaxAge: Int
    /// Connections kept open for the routes' queries.
    public var maximumConnections: Int
    /// Mount the operator console under `/console` (its pages sit behind its own login; cookies are `Secure` when
    /// serve speaks TLS).
    public var console: Bool = true
    /// Trust anchors for the console's upload-verify page (nil: trust is reported indeterminate).
    public var consoleTrust: TrustStore?
    /// When failed console logins lock an account or a client address.
    public var consoleLoginThrottle = LoginThrottle.Policy()

    public init(
        listen: ListenAddress, databaseURL: String, tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil,
        statusSigner: StatusSigner? = nil, statusMaxAge: Int = 300, maximumConnections: Int = 4
    ) {
        self.listen = listen
        self.databaseURL = databaseURL
        self.tlsCertificatePath = tlsCertificatePath
        self.tlsKeyPath = tlsKeyPath
        self.statusSigner = statusSigner
        self.statusMaxAge = statusMaxAge
        self.maximumConnections = maximumConnections
    }

    public var usesTLS: Bool { tlsCertificatePath != nil && tlsKeyPath != nil }

    /// Refuses what must not start: half a TLS configuration, or a non-loopback address without TLS (the console's
    /// passwords and session cookies would cross the network in clear).
    ///
    /// - Throws: ``ServeError`` `tlsMaterialUnusable` or `tlsRequired`.
    public func validate() throws(ServeError) {
        if (tlsCertificatePath == nil) != (tlsKeyPath == nil) {
            throw ServeError(.tlsMaterialUnusable, "give both --tls-cert and --tls-key (PEM files), or neither")
        }
        if !listen.isLoopback && !usesTLS {
            throw ServeError(
                .tlsRequired,
                "serving on \(listen) reaches beyond this machine and needs TLS: give --tls-cert CERT.pem and "
                    + "--tls-key KEY.pem, or listen on loopback (--listen 127.0.0.1:\(listen.port)) behind a "
                    + "TLS-terminating proxy")
        }
    }

    /// The base URL clients use (`http(s)://host:port`) once the actual port is known.
    public func baseURL(port: Int) -> String {
        let host = listen.host.contains(":") ? "[\(listen.host)]" : listen.host
        return "\(usesTLS ? "https" : "http")://\(host):\(port)"
    }
}
