public import Foundation
public import SealCrypto

/// `sealpress tsa serve` and tests: a ``LocalTimeStampAuthority`` answering HTTP POST `application/timestamp-query`
/// on `host:port` (any path) with `application/timestamp-reply`; other methods get 405.
///
/// The request/response logic is SealCrypto's pure ``LocalTimeStampAuthority/respond(to:)``; this is only the wiring.
public final class TimeStampServer: Sendable {
    public let authority: LocalTimeStampAuthority
    private let server: SideServer

    /// Starts serving (port 0 picks a free one; see ``port``).
    /// - Throws: ``SideServer/StartError`` when the address cannot be bound.
    public init(authority: LocalTimeStampAuthority, host: String = "127.0.0.1", port: Int = 0) throws(SideServer.StartError) {
        self.authority = authority
        server = try SideServer(host: host, port: port, name: "tsa") { request in
            guard request.method == "POST" else { return .text(405, "POST a timestamp-query\n") }
            return SideServer.Reply(
                status: 200, contentType: "application/timestamp-reply", body: authority.respond(to: request.body))
        }
    }

    public var port: Int { server.port }

    /// The URL clients should POST to.
    public var url: URL { URL(string: "http://\(server.host):\(server.port)/")! }

    /// Stops accepting (in-flight requests finish).
    public func stop() { server.stop() }
}
