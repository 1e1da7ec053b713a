/// A notification received on a LISTENed channel.
public struct PGNotification: Sendable, Hashable {
    /// The channel name as the server reports it.
    public var channel: String
    /// The payload text (empty when NOTIFY had none; at most 8000 bytes).
    public var payload: String
    /// The server process ID of the notifying session.
    public var pid: Int32

    public init(channel: String, payload: String, pid: Int32) {
        self.channel = channel
        self.payload = payload
        self.pid = pid
    }
}
