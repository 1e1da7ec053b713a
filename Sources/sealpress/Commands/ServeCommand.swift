import ArgumentParser
import Foundation
import Logging
import SealServer
import SealStatus

/// `sealpress serve --listen HOST:PORT`: the HTTP server (health, seal status service, usage-log checkpoints; the
/// operator console mounts on the same router).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve /healthz, the seal status service and the signed usage-log checkpoints over HTTP(S).",
        discussion: """
            Open without login: GET /healthz, /readyz, /status/v1/seals/{esID} (signed JSON, Docs/status-service.md), \
            /status/v1/certificate and /audit/v1/checkpoints. Listening beyond loopback needs --tls-cert and \
            --tls-key. SIGTERM or SIGINT stops it gracefully (requests in flight finish). Prints one line \
            'listening on URL' once the socket is bound (port 0 picks a free port).

            The status key (--status-key or $SEALPRESS_STATUS_KEY) is a key reference like a seal's: \
            'file:/keys/status.key.pem?cert=/keys/status.cert.pem' or 'pkcs12:/keys/status.p12?password-env=VAR'.

            Examples:
              sealpress serve --listen 127.0.0.1:8080 --status-key 'file:/k/status.key.pem?cert=/k/status.cert.pem'
              sealpress serve --listen 0.0.0.0:8443 --tls-cert tls.crt --tls-key tls.key --status-key …
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on (HOST:PORT; beyond loopback needs TLS).") var listen = "127.0.0.1:8080"
    @Option(name: .customLong("tls-cert"), help: "TLS certificate chain (PEM).") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "TLS private key (PEM, unencrypted).") var tlsKey: String?
    @Option(
        name: .customLong("status-key"),
        help: "Key reference of the key that signs status responses (default $SEALPRESS_STATUS_KEY).")
    var statusKey: String?
    @Option(help: "Issuer name in status documents and checkpoints (default: the status certificate's subject).")
    var issuer: String?
    @Option(name: .customLong("status-max-age"), help: "Cache-Control max-age of status responses, in seconds.")
    var statusMaxAge = 300
    /// Read by LogBootstrap before parsing; declared so the option parses here too.
    @Option(name: .customLong("log-format"), help: "Log lines on standard error: text, or json.") var logFormat = "text"

    func run() throws {
        let address: ListenAddress
        do {
            address = try ListenAddress(parsing: listen)
        } catch {
            throw CouldNotRun(error.reason)
        }
        let keyReference = statusKey ?? ProcessInfo.processInfo.environment["SEALPRESS_STATUS_KEY"]
        var configuration = ServeConfiguration(
            listen: address, databaseURL: "", tlsCertificatePath: tlsCert, tlsKeyPath: tlsKey,
            statusMaxAge: max(0, statusMaxAge))
        // Refuse an unsafe address before touching keys or the database.
        do {
            try configuration.validate()
        } catch {
            throw CouldNotRun(error.reason)
        }
        if let keyReference {
            do {
                configuration.statusSigner = try StatusSigner.load(keyReference, issuer: issuer)
            } catch {
                throw CouldNotRun(error.reason)
            }
        }
        configuration.databaseURL = try database.resolveURL()
        let logger = Logger(label: "sealpress.serve")
        if configuration.statusSigner == nil {
            logger.warning("no status key: /status/v1 answers 503 until serve runs with --status-key")
        }
        let ready = configuration
        let stopped = Blocking.run { () -> (any Error)? in
            do {
                try await SealServerApplication.run(configuration: ready, logger: logger) { url in
                    // Unbuffered: scripts and tests wait for this line.
                    FileHandle.standardOutput.write(Data("listening on \(url)\n".utf8))
                }
                return nil
            } catch {
                return error
            }
        }
        guard let error = stopped else { return }
        if let error = error as? ServeError { throw CouldNotRun(error.reason) }
        throw CouldNotRun("the server stopped: \(UserMessage.reason(error))")
    }
}
