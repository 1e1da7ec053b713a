public import Foundation
import Dispatch
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A process's small side HTTP service — a worker's `/metrics` + `/healthz`, the local TSA — on Hummingbird 2,
/// started and stopped by synchronous callers (the CLI's `run()`, test setup).
///
/// One handler answers every request (method, path, body → status, content type, body), so each service keeps its
/// exact routes and status codes. Replaces the hand-written SealHTTP server.
public final class SideServer: Sendable {
    public struct Request: Sendable {
        public let method: String
        /// The request target as sent (`/metrics`, `/?x=1`).
        public let path: String
        public let body: [UInt8]
    }

    public struct Reply: Sendable {
        public let status: Int
        public let contentType: String
        public let body: [UInt8]

        public init(status: Int, contentType: String, body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }

        /// A plain-text reply.
        public static func text(_ status: Int, _ text: String) -> Reply {
            Reply(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
        }
    }

    /// The address could not be bound (in use, not local, not an address).
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    public let host: String
    /// The bound port (the one the kernel picked when asked for port 0).
    public let port: Int
    private let task: Task<Void, Never>

    /// Binds `host:port` (port 0 picks a free one) and starts serving; returns once the socket is bound.
    ///
    /// The caller's thread waits for the bind (at most 30 s): call it from a thread outside the Swift concurrency
    /// pool (the CLI's main thread, a test), never from async code.
    /// - Parameters:
    ///   - maximumBody: larger request bodies are answered 400 without calling `handler`.
    ///   - name: the service's name in log lines and errors (`metrics`, `tsa`).
    public init(
        host: String, port: Int, maximumBody: Int = 1 << 20, name: String,
        handler: @escaping @Sendable (Request) -> Reply
    ) throws(StartError) {
        guard (0...65_535).contains(port), !host.isEmpty else {
            throw StartError(description: "\(name): '\(host)' port \(port) is not an address and port (such as 127.0.0.1)")
        }
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let body: [UInt8]
            do {
                var buffer = try await request.body.collect(upTo: maximumBody)
                body = buffer.readBytes(length: buffer.readableBytes) ?? []
            } catch {
                return SideServer.response(.text(400, "bad request\n"))
            }
            let reply = handler(Request(method: request.method.rawValue, path: request.uri.description, body: body))
            return SideServer.response(reply)
        }
        var logger = Logger(label: "sealpress.\(name)")
        logger.logLevel = .warning
        let started = StartSlot()
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in started.fill(.success(channel.localAddress?.port ?? port)) },
            logger: logger)
        task = Task(executorPreference: SideServerExecutor.shared) {
            do {
                try await app.run()
                started.fill(.failure(StartError(description: "\(name): the server stopped before it was listening")))
            } catch {
                started.fill(.failure(StartError(description: "\(name): cannot listen on \(host):\(port) (\(error))")))
            }
        }
        switch started.wait(seconds: 30) {
        case .some(.success(let bound)):
            self.host = host
            self.port = bound
        case .some(.failure(let error)):
            task.cancel()
            throw error
        case .none:
            task.cancel()
            throw StartError(description: "\(name): \(host):\(port) was not listening within 30 s")
        }
    }

    /// Stops accepting and shuts the server down gracefully (in-flight responses finish); does not wait. Idempotent.
    public func stop() { task.cancel() }

    deinit { task.cancel() }

    private static func response(_ reply: Reply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        headers[.connection] = "close"
        return Response(
            status: HTTPResponse.Status(code: reply.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}

/// The bind result a ``SideServer/init`` waits for (the first fill wins).
private final class StartSlot: Sendable {
    private let value = Mutex<Result<Int, SideServer.StartError>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func fill(_ result: Result<Int, SideServer.StartError>) {
        let first = value.withLock { current -> Bool in
            guard current == nil else { return false }
            current = result
            return true
        }
        if first { done.signal() }
    }

    func wait(seconds: Int) -> Result<Int, SideServer.StartError>? {
        guard done.wait(timeout: .now() + .seconds(seconds)) == .success else { return nil }
        return value.withLock { $0 }
    }
}

/// Runs side servers' async work on Dispatch threads, not the Swift concurrency pool: ``SideServer/init`` waits
/// for the bind on the caller's thread, which may itself be a pool thread (a synchronous test) — with the server
/// on the pool too, a small pool (2 cores) starves.
private final class SideServerExecutor: TaskExecutor {
    static let shared = SideServerExecutor()
    private let queue = DispatchQueue(label: "sealpress.side-server", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { unownedJob.runSynchronously(on: executor) }
    }
}
