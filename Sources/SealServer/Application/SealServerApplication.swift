public import Foundation
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
import NIOCore
import NIOSSL
import Postgres
public import SealConsole
import ServiceLifecycle

/// `sealpress serve`: one Hummingbird 2 server for everything people and other systems see.
///
/// Routes are added by generic functions `add…Routes(to: Router<Context>, …)`, one per module, so any module can
/// mount its pages on the same router (and context) without knowing the others.
public enum SealServerApplication {
    /// The router with every route the server serves.
    ///
    /// - Parameter console: the operator console to mount under `/console`, or nil for none.
    public static func makeRouter(
        configuration: ServeConfiguration, database: ServerDatabase, console: Console? = nil
    ) -> Router<ConsoleRequestContext> {
        // The console's context: Hummingbird's basic one plus the peer's address (the login throttle uses it).
        let router = Router(context: ConsoleRequestContext.self)
        // Open without login: health, the seal status service, the published checkpoints.
        addHealthRoutes(to: router, database: database)
        addStatusRoutes(
            to: router,
            responder: SealStatusResponder(
                signer: configuration.statusSigner, database: database, maxAge: configuration.statusMaxAge))
        addCheckpointRoutes(to: router, database: database)

        // MARK: - Operator console mount point
        // Everything the console adds (under /console) sits behind its own login and CSRF checks; the routes above
        // stay open.
        if let console { addConsoleRoutes(to: router, console: console) }

        return router
    }

    /// The application, ready to `runService()`; `onRunning` gets the base URL once the socket is bound (the port
    /// is known even for `--listen 127.0.0.1:0`).
    ///
    /// - Throws: ``ServeError`` when the configuration is refused (see ``ServeConfiguration/validate()``), the TLS
    ///   material cannot be loaded, or the database cannot be reached.
    ///
    /// - Parameter console: the operator console to mount (``makeConsole(configuration:logger:)``); the caller shuts
    ///   it down after the application stops.
    public static func make(
        configuration: ServeConfiguration, logger: Logger, console: Console? = nil,
        onRunning: @escaping @Sendable (String) async -> Void = { _ in }
    ) throws(ServeError) -> some ApplicationProtocol {
        try configuration.validate()
        let database = ServerDatabase(url: configuration.databaseURL, maximumConnections: configuration.maximumConnections)
        do {
            let connection = try PGConnection(configuration.databaseURL)
            connection.close()
        } catch {
            throw ServeError(
                .databaseUnreachable,
                "cannot connect to the database: \(error.reason); check --database-url (postgresql://user@host/db)")
        }
        let server = try serverBuilder(configuration)
        let router = makeRouter(configuration: configuration, database: database, console: console)
        return Application(
            router: router, server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.listen.host, port: configuration.listen.port), serverName: "SealPress"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.listen.port
                await onRunning(configuration.baseURL(port: port))
            },
            logger: logger)
    }

    /// Builds the application and runs it until SIGTERM or SIGINT (graceful: requests in flight finish).
    public static func run(
        configuration: ServeConfiguration, logger: Logger, onRunning: @escaping @Sendable (String) async -> Void = { _ in }
    ) async throws {
        let console = makeConsole(configuration: configuration, logger: logger)
        defer { console?.shutdown() }  // after the application has stopped: no page is using its connections
        let app = try make(configuration: configuration, logger: logger, console: console, onRunning: onRunning)
        try await app.runService()  // graceful shutdown on SIGTERM and SIGINT
    }

    /// The operator console for this configuration (Secure cookies when serve speaks TLS), or nil when it is off.
    public static func makeConsole(configuration: ServeConfiguration, logger: Logger) -> Console? {
        guard configuration.console else { return nil }
        var consoleConfiguration = Console.Configuration(
            databaseURL: configuration.databaseURL, secureCookies: configuration.usesTLS,
            trust: configuration.consoleTrust)
        consoleConfiguration.loginThrottle = configuration.consoleLoginThrottle
        return Console(configuration: consoleConfiguration, logger: logger)
    }

    static func serverBuilder(_ configuration: ServeConfiguration) throws(ServeError) -> HTTPServerBuilder {
        guard let certificatePath = configuration.tlsCertificatePath, let keyPath = configuration.tlsKeyPath else {
            return .http1()
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            return try .tls(.http1(), tlsConfiguration: tls)
        } catch {
            throw ServeError(
                .tlsMaterialUnusable,
                "cannot load the TLS certificate \(certificatePath) or key \(keyPath): give PEM files (an unencrypted "
                    + "key), the certificate first")
        }
    }
}
