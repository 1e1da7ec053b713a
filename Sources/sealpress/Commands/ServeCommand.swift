import ArgumentParser
import Foundation
import Logging
import SealCrypto
import SealServer
import SealStatus

/// `sealpress serve --listen HOST:PORT`: the HTTP server (health, seal status service, usage-log checkpoints, and
/// the operator console under /console on the same router).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve /healthz, the seal status service, the signed usage-log checkpoints and the operator console over HTTP(S).",
        discussion: """
            Open without login: GET /healthz, /readyz, /status/v1/seals/{esID} (signed JSON, Docs/status-service.md), \
            /status/v1/certificate and /audit/v1/checkpoints. Listening beyond loopback needs --tls-cert and \
            --tls-key. SIGTERM or SIGINT stops it gracefully (requests in flight finish). Prints one line \
            'listening on URL' once the socket is bound (port 0 picks a free port).

            The operator console is served under /console (pages for batches, jobs, pauses, seals, the usage log and \
            upload-verify) behind its own login: create accounts with `sealpress account add`. Its session cookie \
            is Secure when serve speaks TLS. --no-console leaves it out; --trust gives its upload page trust \
            anchors. Failed logins lock an account after 5 tries, and a client address after 20, within 15 \
            minutes, for 15 minutes (HTTP 429; the --login-* flags change that, and every serve process of a \
            database shares the counts). (`sealpress console` is an alias that serves the console alone.)

            The status key (--status-key or $SEALPRESS_STATUS_KEY) is a key reference like a seal's: \
            'file:/keys/status.key.pem?cert=/keys/status.cert.pem' or 'pkcs12:/keys/status.p12?password-env=VAR'.

            Examples:
              sealpress serve --listen 127.0.0.1:8080 \\
                  --status-key 'file:/k/status.key.pem?cert=/k/status.cert.pem'
              sealpress serve --listen 0.0.0.0:8443 --tls-cert tls.crt --tls-key tls.key \\
                  --status-key …
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
    @Flag(name: .customLong("no-console"), help: "Do not mount the operator console under /console.")
    var noConsole = false
    @Option(help: "Trusted root certificate for the console's upload verification (PEM); repeat for several.")
    var trust: [String] = []
    @OptionGroup(title: "Console login throttle") var loginThrottle: LoginThrottleOptions
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
        configuration.console = !noConsole
        configuration.consoleTrust = try ConsoleCommand.loadTrust(trust)
        configuration.consoleLoginThrottle = loginThrottle.policy
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
