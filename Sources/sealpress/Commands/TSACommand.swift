import ArgumentParser
import Dispatch
import Foundation
import SealCrypto
import SealSideServer

/// `sealpress tsa serve …`: a loopback RFC 3161 time-stamping authority for tests and demos.
struct TSACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsa",
        abstract: "Run a local RFC 3161 time-stamping authority (loopback only).",
        subcommands: [ServeCommand.self]
    )
}

extension TSACommand {
    struct ServeCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Answer HTTP POST application/timestamp-query on 127.0.0.1 until interrupted.",
            discussion: "The certificate must carry extendedKeyUsage timeStamping (`sealpress keys demo-pki` writes tsa.* and sm2-tsa.*)."
        )

        @Option(name: .long, help: "Port to listen on (0 picks a free one and prints it).")
        var port: Int = 3161

        @Option(name: .long, help: "Loopback IPv4 address to bind.")
        var host: String = "127.0.0.1"

        @Option(name: .long, help: "TSA private key (PEM).")
        var key: String

        @Option(name: .long, help: "TSA certificate (PEM); further certificates in the file are its chain.")
        var cert: String

        @Option(name: .long, help: "Password of an encrypted key.")
        var password: String?

        func validate() throws {
            guard host.hasPrefix("127.") else { throw ValidationError("--host must be a loopback address (127.x.x.x)") }
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        }

        func run() throws {
            let server: TimeStampServer
            do {
                let privateKey = try PrivateKey(pem: try String(contentsOfFile: key, encoding: .utf8), password: password)
                let certificates = try Certificate.certificates(pem: try String(contentsOfFile: cert, encoding: .utf8))
                guard let leaf = certificates.first else { throw CouldNotRun("no certificate in \(cert)") }
                let signer = try SoftwareSigner(key: privateKey, certificate: leaf, chain: Array(certificates.dropFirst()))
                server = try TimeStampServer(authority: try LocalTimeStampAuthority(signer: signer), host: host, port: port)
            } catch let error as CouldNotRun {
                throw error
            } catch {
                throw CouldNotRun("cannot start the TSA: \(error)")
            }
            print("sealpress tsa: listening on http://\(host):\(server.port)/ (Ctrl-C to stop)")
            fflush(nil)
            let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
                source.setEventHandler {
                    server.stop()
                    print("sealpress tsa: stopped")
                    Foundation.exit(0)
                }
                source.resume()
                return source
            }
            withExtendedLifetime(sources) { dispatchMain() }
        }
    }
}
