import SealQueue

/// Handlers by kind. A worker claims jobs of every kind in its queues; a kind without a handler here fails
/// (retryably, so a better-equipped worker may take it) with a clear reason.
public struct HandlerRegistry: Sendable {
    private var handlers: [String: any JobHandler] = [:]

    public init(_ handlers: [any JobHandler] = []) {
        for handler in handlers { register(handler) }
    }

    /// Adds or replaces the handler for `handler.kind`.
    public mutating func register(_ handler: any JobHandler) {
        handlers[handler.kind] = handler
    }

    /// The handler for `kind`, or nil.
    public func handler(for kind: String) -> (any JobHandler)? { handlers[kind] }

    /// Registered kinds, sorted.
    public var kinds: [String] { handlers.keys.sorted() }

    /// The built-in handlers (`noop`). The pipeline adds `stamp` and `verify`.
    public static var builtIn: HandlerRegistry { HandlerRegistry([NoopHandler()]) }
}
