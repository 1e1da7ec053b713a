public import Foundation
public import Postgres

/// One row of the registry's event log (`sealpress.registry_events`): seal changes, grants, and operator console
/// actions (whose `seal` may be nil).
public struct RegistryEvent: Sendable, Hashable {
    public var id: Int64
    public var seal: String?
    public var event: String
    /// The `detail` JSON object as text.
    public var detailJSON: String
    /// Who did it: a database user, or `console:<account>`.
    public var actor: String
    public var at: Date
}

extension SealRegistry {
    /// The newest `limit` events, newest first.
    public func events(limit: Int = 200, on connection: PGConnection) throws -> [RegistryEvent] {
        try connection.query(
            "SELECT id, seal, event, detail::text AS detail, actor, at FROM sealpress.registry_events ORDER BY id DESC LIMIT $1",
            [.int(limit)]
        ).map { row in
            RegistryEvent(
                id: Int64(try row.int("id")), seal: try row.optionalString("seal"), event: try row.string("event"),
                detailJSON: try row.string("detail"), actor: try row.string("actor"), at: try row.date("at"))
        }
    }

    /// The name inside each seal's SESeal (印章名称), by registry name.
    public func sealNames(on connection: PGConnection) throws -> [String: String] {
        var names: [String: String] = [:]
        for row in try connection.query("SELECT name, seal_name FROM sealpress.seals") {
            names[try row.string("name")] = try row.string("seal_name")
        }
        return names
    }
}
