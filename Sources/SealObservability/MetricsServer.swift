public import Foundation
import SealHTTP

/// Serves `GET /metrics` (Prometheus text) and `GET /healthz` over plain HTTP/1.1 (``HTTPServer``).
///
/// Deliberately tiny: one request per connection, no keep-alive, request heads capped at 64 KiB, no bodies.
public final class MetricsServer: Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: Int
    private let server: HTTPServer

    /// Binds and starts serving. Port 0 picks a free port (see ``port``).
    ///
    /// Serving ``MetricsRegistry/shared`` also bootstraps swift-metrics' `MetricsSystem` with it, so metrics that
    /// libraries record through swift-metrics are served too.
    /// - Parameter beforeRender: called on each scrape before rendering, e.g. to refresh gauges from the database.
    public init(host: String = "0.0.0.0", port: Int, registry: MetricsRegistry = .shared,
                beforeRender: @escaping @Sendable () -> Void = {}) throws {
        if registry === MetricsRegistry.shared { MetricsRegistry.bootstrapMetricsSystem() }
        do {
            server = try HTTPServer(host: host, port: port, maximumBody: 0, threadName: "sealpress-metrics") { request in
                switch (request.method, request.path) {
                case ("GET", "/metrics"):
                    beforeRender()
                    return HTTPServer.Reply(
                        status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: Array(registry.render().utf8))
                case ("GET", "/healthz"):
                    return .text(200, "ok\n")
                default:
                    return .text(404, "not found\n")
                }
            }
        } catch {
            throw StartError(description: "metrics: \(error.reason)")
        }
        self.port = server.port
    }

    /// Stops accepting; in-flight responses finish.
    public func stop() { server.stop() }
}
