import ArgumentParser
import Dispatch
import Foundation
import Hummingbird
import Logging
import SealConsole
import SealCrypto
import Synchronization

/// `sealpress console --listen HOST:PORT`: the operator console alone, on loopback. Kept as an alias for
/// installations that started with it; `sealpress serve` mounts the same console beside health and status.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Serve the operator console alone (alias; `sealpress serve` also serves it under /console).",
        discussion: """
            `sealpress serve` is the one server to run: it mounts this console under /console beside /healthz and \
            the status service, with TLS beyond loopback. This command serves only the console (same pages, same \
            accounts), for installations that started with it.

            Binds to loopback by default. The console refuses to listen beyond loopback: put it behind a TLS \
            terminating proxy on the same host and pass --secure-cookies, or use `sealpress serve` with TLS. \
            Create accounts first with `sealpress account add`.

            Example:
              sealpress console --listen 127.0.0.1:8443 --database-url postgres://…
            """)

    @Option(help: "HOST:PORT to listen on (loopback only).")
    var listen = "127.0.0.1:8080"

    @Option(help: "Trusted root certificate for the upload page's verification (PEM); repeat for several.")
    var trust: [String] = []

    @Flag(help: "Mark the session cookie Secure (the browser reaches the console over HTTPS through a proxy).")
    var secureCookies = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup(title: "Login throttle") var loginThrottle: LoginThrottleOptions

    func run() throws {
        let (host, port) = try Self.parseListen(listen)
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw CouldNotRun(
                "the console serves only loopback without TLS; listen on 127.0.0.1 behind a TLS proxy, or use `sealpress serve` with TLS")
        }
        var configuration = Console.Configuration(
            databaseURL: try database.resolveURL(), secureCookies: secureCookies, trust: try Self.loadTrust(trust))
        configuration.loginThrottle = loginThrottle.policy
        let console = Console(configuration: configuration)
        let router = Router(context: ConsoleRequestContext.self)
        addConsoleRoutes(to: router, console: console)
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "sealpress"),
            logger: Logger(label: "sealpress.console"))
        let failure = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await app.runService() } catch { failure.withLock { $0 = "\(error)" } }
            done.signal()
        }
        done.wait()
        console.shutdown()
        if let message = failure.withLock({ $0 }) { throw CouldNotRun("the console stopped: \(message)") }
    }

    /// The trust anchors in the PEM files at `paths`, or nil when there are none.
    static func loadTrust(_ paths: [String]) throws -> TrustStore? {
        var roots: [Certificate] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path),
                let certificates = try? Certificate.certificates(pem: String(decoding: data, as: UTF8.self))
            else { throw CouldNotRun("cannot read trust anchors from \(path) (PEM certificates)") }
            roots += certificates
        }
        return roots.isEmpty ? nil : TrustStore(roots: roots)
    }

    static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { throw ValidationError("--listen takes HOST:PORT, e.g. 127.0.0.1:8080") }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return (host, port)
    }
}
