public import Foundation
public import Logging
public import SealCrypto

/// The operator console: server-rendered pages over the queue, the seal registry and the usage log, with accounts,
/// sessions and CSRF protection. ``addConsoleRoutes(to:console:)`` mounts it on any Hummingbird router.
///
/// The console holds a small pool of libpq connections whose blocking calls run on a Dispatch queue it owns, never
/// on the server's event loops or the cooperative pool.
public final class Console: Sendable {
    /// What the console needs from the process that serves it.
    public struct Configuration: Sendable {
        /// libpq connection string or URL of the SealPress database.
        public var databaseURL: String
        /// Mark cookies `Secure` (set when the server speaks TLS; required beyond loopback).
        public var secureCookies: Bool
        /// How long a session lives after login.
        public var sessionLifetime: TimeInterval
        /// Trust anchors for the upload page's verification (nil: trust is reported indeterminate).
        public var trust: TrustStore?
        /// The largest document the upload page accepts.
        public var maximumUploadBytes: Int
        /// PBKDF2 iterations for passwords set through the console's store (≥ ``PasswordHash/minimumIterations``).
        public var passwordIterations: Int
        /// Connections kept open for page reads.
        public var maximumConnections: Int
        /// When failed logins lock an account or a client address (``LoginThrottle``).
        public var loginThrottle: LoginThrottle.Policy = LoginThrottle.Policy()

        public init(
            databaseURL: String, secureCookies: Bool = false, sessionLifetime: TimeInterval = 8 * 3600,
            trust: TrustStore? = nil, maximumUploadBytes: Int = 64 << 20,
            passwordIterations: Int = PasswordHash.defaultIterations, maximumConnections: Int = 4
        ) {
            self.databaseURL = databaseURL
            self.secureCookies = secureCookies
            self.sessionLifetime = sessionLifetime
            self.trust = trust
            self.maximumUploadBytes = maximumUploadBytes
            self.passwordIterations = passwordIterations
            self.maximumConnections = maximumConnections
        }
    }

    public let configuration: Configuration
    let database: ConsoleDatabase
    let logger: Logger

    public init(configuration: Configuration, logger: Logger = Logger(label: "sealpress.console")) {
        self.configuration = configuration
        self.logger = logger
        self.database = ConsoleDatabase(url: configuration.databaseURL, maximumConnections: configuration.maximumConnections)
    }

    /// Closes the pooled connections (call when the server has stopped).
    public func shutdown() {
        database.closeAll()
    }

    /// The URL path every console page lives under.
    public static let pathPrefix = "/console"
}
