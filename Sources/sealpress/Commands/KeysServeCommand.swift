import ArgumentParser
import Dispatch
import Foundation
import Logging
import SealKeyService
import ServiceLifecycle
import Synchronization
import UnixSignals

extension KeysCommand {
    /// `sealpress keys serve`: the remote signing service (keys stay here; workers send digests).
    struct ServeCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Run the remote signing service: holds keys and signs digests for clients over mutual TLS.",
            discussion: """
                Clients need a certificate issued by --client-ca and a grant in the --keys file (JSON: \
                {"keys": {NAME: KEY-REFERENCE}, "clients": [{"subject-cn": CN, "keys": [NAME…]}]}; a client may be \
                named by "certificate-sha256" instead). Key references are those of `seal register --key-ref` \
                (passwords from the variables they name). Every request is logged as one JSON line (client, key, \
                digest, time, outcome) to --log or standard output; key material never is. SIGTERM or SIGINT stop the \
                service after the requests in flight. Protocol: Docs/remote-signing.md.

                Example:
                  sealpress keys serve --listen 0.0.0.0:8443 --tls-cert service.cert.pem \\
                      --tls-key service.key.pem \\
                      --client-ca clients-ca.pem --keys keys.json \\
                      --log /var/log/sealpress/keys.log
                """)

        @Option(help: "HOST:PORT to listen on (port 0: any free port, printed on start).") var listen: String
        @Option(name: .customLong("tls-cert"), help: "The service's TLS certificate chain (PEM).") var tlsCert: String
        @Option(name: .customLong("tls-key"), help: "The service's TLS private key (PEM, unencrypted).") var tlsKey: String
        @Option(name: .customLong("client-ca"), help: "CA certificate(s) that issue client certificates (PEM).")
        var clientCA: String
        @Option(help: "The keys and grants file (JSON).") var keys: String
        @Option(help: "Append the request log to this file (default: standard output).") var log: String?

        func run() throws {
            let (service, names) = try prepared()
            FileHandle.standardError.write(
                Data("sealpress keys serve: holding \(names.count) key(s): \(names.joined(separator: ", "))\n".utf8))
            let group = ServiceGroup(
                services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "sealpress.keys"))
            // The CLI's root command is synchronous: the service group runs on the concurrency pool and this (main)
            // thread, which is not one of the pool's, waits for it.
            let outcome = ServiceOutcome()
            Task {
                do {
                    try await group.run()
                } catch {
                    outcome.failure.withLock { $0 = UserMessage.reason(error) }
                }
                outcome.done.signal()
            }
            outcome.done.wait()
            if let reason = outcome.failure.withLock({ $0 }) {
                throw CouldNotRun("the signing service stopped: \(reason)")
            }
        }

        private func prepared() throws -> (KeyService, [String]) {
            do {
                return try build()
            } catch {
                throw CouldNotRun(error.reason)
            }
        }

        private func build() throws(KeyServiceError) -> (KeyService, [String]) {
            let address = try KeyService.Options.listenAddress(listen)
            let configuration = try KeyServiceConfiguration.load(path: keys)
            let ring = try KeyRing(configuration: configuration, environment: ProcessInfo.processInfo.environment)
            let requestLog = try SigningLog(path: log)
            let host = address.host
            let service = try KeyService(
                options: .init(
                    host: address.host, port: address.port, tlsCertificatePath: tlsCert, tlsKeyPath: tlsKey,
                    clientCAPath: clientCA),
                configuration: configuration, keys: ring, log: requestLog, logger: Logger(label: "sealpress.keys"),
                onListening: { port in
                    // The one line scripts (and tests) wait for.
                    FileHandle.standardError.write(Data("sealpress keys serve: listening on \(host):\(port)\n".utf8))
                })
            return (service, ring.names)
        }
    }
}

/// How the service group ended, handed from its task to the waiting main thread.
private final class ServiceOutcome: Sendable {
    let failure = Mutex<String?>(nil)
    let done = DispatchSemaphore(value: 0)
}
