public import Foundation
import SealSideServer

/// Serves `GET /metrics` (Prometheus text) and `GET /healthz` over HTTP/1.1 on Hummingbird 2 (``SideServer``);
/// anything else is 404.
public final class MetricsServer: Sendable {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: Int
    private let server: SideServer

    /// Binds and starts serving. Port 0 picks a free port (see ``port``). Call from a thread outside the Swift
    /// concurrency pool (it waits for the bind).
    ///
    /// Serving ``MetricsRegistry/shared`` also bootstraps swift-metrics' `MetricsSystem` with it, so metrics that
    /// libraries record through swift-metrics are served too.
    /// - Parameter beforeRender: called on each scrape before rendering, e.g. to refresh gauges from the database.
    public init(host: String = "0.0.0.0", port: Int, registry: MetricsRegistry = .shared,
                beforeRender: @escaping @Sendable () -> Void = {}) throws {
        if registry === MetricsRegistry.shared { MetricsRegistry.bootstrapMetricsSystem() }
        server = try Self.serve(host: host, port: port, registry: registry, beforeRender: beforeRender)
        self.port = server.port
    }

    /// The routes (a helper: a typed-throws do/catch assigning a stored property can crash the compiler).
    private static func serve(
        host: String, port: Int, registry: MetricsRegistry, beforeRender: @escaping @Sendable () -> Void
    ) throws(StartError) -> SideServer {
        do {
            return try SideServer(host: host, port: port, maximumBody: 0, name: "metrics") { request in
                switch (request.method, request.path) {
                case ("GET", "/metrics"):
                    beforeRender()
                    return SideServer.Reply(
                        status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: Array(registry.render().utf8))
                case ("GET", "/healthz"):
                    return .text(200, "ok\n")
                default:
                    return .text(404, "not found\n")
                }
            }
        } catch {
            throw StartError(description: error.description)
        }
    }

    /// Stops accepting; in-flight responses finish.
    public func stop() { server.stop() }
}
