public import Hummingbird
public import NIOCore

/// A request context that knows the client's address, for the login throttle (``LoginThrottle``). Contexts without
/// it throttle per account only.
public protocol ConsoleClientAddressContext: RequestContext {
    /// The peer's IP address (the proxy's, behind a reverse proxy), or nil.
    var clientAddress: String? { get }
}

/// The request context of `sealpress serve` and `sealpress console`: Hummingbird's basic context plus the peer's
/// address of the connection.
public struct ConsoleRequestContext: RequestContext, RemoteAddressRequestContext, ConsoleClientAddressContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var clientAddress: String? { remoteAddress?.ipAddress }
}
