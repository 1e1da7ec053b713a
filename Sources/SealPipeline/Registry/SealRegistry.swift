public import Foundation
public import Postgres

/// The seal registry in PostgreSQL: seals, their state, and grants. Every change is recorded in `registry_events`.
///
/// Callers own the connection and its thread (libpq calls block).
public struct SealRegistry: Sendable {
    public init() {}

    /// What `register` needs besides the `.esl` bytes (which the caller has parsed to fill esID, name, validity).
    public struct Registration: Sendable {
        public var record: SealRecord
        public var sealName: String
        public var esl: [UInt8]
        public var eslSHA256: [UInt8]

        public init(record: SealRecord, sealName: String, esl: [UInt8], eslSHA256: [UInt8]) {
            self.record = record
            self.sealName = sealName
            self.esl = esl
            self.eslSHA256 = eslSHA256
        }
    }

    public func register(_ registration: Registration, on connection: PGConnection) throws {
        let r = registration.record
        try connection.transaction { db in
            try db.query(
                """
                INSERT INTO sealpress.seals (name, es_id, seal_name, owner_organisation, owner_credit_code, seal_type,
                    valid_from, valid_to, state, key_reference, esl, esl_sha256)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                """,
                [
                    .text(r.name), .text(r.esID), .text(registration.sealName), .text(r.ownerOrganisation),
                    r.ownerCreditCode.map(PGValue.text) ?? .null, .text(r.sealType), .timestamptz(r.validFrom),
                    .timestamptz(r.validTo), .text(r.state.rawValue), .text(r.keyReference.description),
                    .bytea(registration.esl), .bytea(registration.eslSHA256),
                ])
            try recordEvent(seal: r.name, event: "registered", detail: #"{"es_id": \#(jsonString(r.esID))}"#, on: db)
        }
    }

    /// All seals, by name.
    public func list(on connection: PGConnection) throws -> [SealRecord] {
        try connection.query(Self.selectSeals + " ORDER BY name").map(Self.decodeSeal)
    }

    /// One seal by registry name or esID, or nil.
    public func seal(named name: String, on connection: PGConnection) throws -> SealRecord? {
        try connection.query(Self.selectSeals + " WHERE name = $1 OR es_id = $1 LIMIT 1", [.text(name)])
            .first.map(Self.decodeSeal)
    }

    /// The seal's `.esl` bytes.
    public func esl(named name: String, on connection: PGConnection) throws -> [UInt8]? {
        try connection.query("SELECT esl FROM sealpress.seals WHERE name = $1", [.text(name)]).first?.bytes("esl")
    }

    /// Moves a seal through its lifecycle: active ⇄ suspended → cancelled or revoked. Revoked is final; a cancelled
    /// seal can only be revoked (a compromise found after the seal was retired).
    ///
    /// - Parameter actor: who did it, for the event log (an operator console account); nil records the database
    ///   user.
    public func setState(
        _ state: SealRecord.State, of name: String, reason: String?, actor: String? = nil, on connection: PGConnection
    ) throws {
        try connection.transaction { db in
            guard let current = try db.query("SELECT state FROM sealpress.seals WHERE name = $1 FOR UPDATE", [.text(name)]).first
            else { throw RegistryError(.unknownSeal, "no seal named '\(name)' is registered") }
            let from = try current.string("state")
            if from == "revoked" {
                throw RegistryError(.invalidTransition, "seal '\(name)' is revoked; a revoked seal cannot change state again")
            }
            if from == "cancelled" && state != .cancelled && state != .revoked {
                throw RegistryError(.invalidTransition, "seal '\(name)' is cancelled; a cancelled seal cannot be used again")
            }
            try db.query(
                "UPDATE sealpress.seals SET state = $2, updated_at = now(), state_changed_at = now() WHERE name = $1",
                [.text(name), .text(state.rawValue)])
            try recordEvent(
                seal: name, event: Self.stateEvent(state),
                detail: #"{"from": \#(jsonString(from)), "reason": \#(jsonString(reason ?? ""))}"#, actor: actor, on: db)
        }
    }

    /// The registry event a change into `state` records (`seal_revoked`: `revoked` names a grant's revocation).
    static func stateEvent(_ state: SealRecord.State) -> String {
        switch state {
        case .active: "resumed"
        case .suspended: "suspended"
        case .cancelled: "cancelled"
        case .revoked: "seal_revoked"
        }
    }

    /// What a status service publishes about one seal: its record, the SESeal's SHA-256, when it was registered and
    /// every state change since (oldest first), or nil when no seal has this esID.
    public func statusHistory(esID: String, on connection: PGConnection) throws -> SealStatusHistory? {
        let results = try connection.pipeline([
            PGStatement(
                """
                SELECT name, es_id, owner_organisation, owner_credit_code, seal_type, valid_from, valid_to, state,
                       key_reference, seal_name, esl_sha256, registered_at, state_changed_at
                  FROM sealpress.seals WHERE es_id = $1
                """, [.text(esID)]),
            PGStatement(
                """
                SELECT event, at FROM sealpress.registry_events
                 WHERE seal = (SELECT name FROM sealpress.seals WHERE es_id = $1)
                   AND event IN ('registered', 'suspended', 'resumed', 'cancelled', 'seal_revoked')
                 ORDER BY at, id
                """, [.text(esID)]),
        ])
        guard let row = results[0].first else { return nil }
        let record = try Self.decodeSeal(row)
        var changes: [SealStatusHistory.Change] = []
        for event in results[1] {
            let name = try event.string("event")
            let state: SealRecord.State? = switch name {
            case "registered", "resumed": .active
            case "suspended": .suspended
            case "cancelled": .cancelled
            case "seal_revoked": .revoked
            default: nil
            }
            if let state { changes.append(.init(state: state, at: try event.date("at"))) }
        }
        return SealStatusHistory(
            record: record, sealName: try row.string("seal_name"), sealSHA256: try row.bytes("esl_sha256"), registeredAt: try row.date("registered_at"),
            stateChangedAt: try row.optionalDate("state_changed_at") ?? (try row.date("registered_at")), changes: changes)
    }

    /// Grants a principal the use of a seal; returns the grant id.
    @discardableResult
    public func grant(_ grant: Grant, on connection: PGConnection) throws -> Int64 {
        try connection.transaction { db in
            guard try db.query("SELECT 1 FROM sealpress.seals WHERE name = $1", [.text(grant.seal)]).first != nil else {
                throw RegistryError(.unknownSeal, "no seal named '\(grant.seal)' is registered")
            }
            let id = try db.query(
                """
                INSERT INTO sealpress.grants (seal, principal, pipelines, valid_from, valid_to)
                VALUES ($1, $2, $3, $4, $5) RETURNING id
                """,
                [.text(grant.seal), .text(grant.principal), .textArray(grant.pipelines), .timestamptz(grant.validFrom),
                 .timestamptz(grant.validTo)]
            ).first!.int("id")
            try recordEvent(
                seal: grant.seal, event: "granted",
                detail: #"{"grant": \#(id), "principal": \#(jsonString(grant.principal))}"#, on: db)
            return Int64(id)
        }
    }

    /// Revokes a grant from now on.
    public func revoke(grantID: Int64, on connection: PGConnection) throws {
        try connection.transaction { db in
            guard let row = try db.query(
                "UPDATE sealpress.grants SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING seal",
                [.int64(grantID)]).first
            else { throw RegistryError(.unknownGrant, "no active grant \(grantID)") }
            try recordEvent(seal: try row.string("seal"), event: "revoked", detail: #"{"grant": \#(grantID)}"#, on: db)
        }
    }

    /// Grants of a seal (including revoked ones, which carry `revokedAt`).
    public func grants(seal: String? = nil, on connection: PGConnection) throws -> [Grant] {
        let sql = Self.selectGrants + " WHERE $1::text IS NULL OR seal = $1 ORDER BY id"
        return try connection.query(sql, [seal.map(PGValue.text) ?? .null]).map(Self.decodeGrant)
    }

    private static let selectGrants = "SELECT id, seal, principal, pipelines, valid_from, valid_to, revoked_at FROM sealpress.grants"

    private static func decodeGrant(_ row: PGRow) throws -> Grant {
        Grant(
            id: Int64(try row.int("id")), seal: try row.string("seal"), principal: try row.string("principal"),
            pipelines: try row.stringArray("pipelines"), validFrom: try row.date("valid_from"),
            validTo: try row.date("valid_to"), revokedAt: try row.optionalDate("revoked_at"))
    }

    /// Everything pre-flight needs for one stamp, in one round trip: the seal, the principal's grants for it, and
    /// the database's clock (whole seconds).
    ///
    /// The database's clock is the one every worker shares with the registry (grants start at its `now()`), so a
    /// stamp is judged — and signed — at that time, not at the worker's own clock: a worker whose clock runs 90 s
    /// behind would otherwise refuse (and discard) every job of a grant made in the last 90 seconds.
    public func preflightData(seal name: String, principal: String, on connection: PGConnection) throws
        -> (seal: SealRecord?, grants: [Grant], databaseTime: Date)
    {
        // One round trip, all statements prepared: this runs before every signature.
        let results = try connection.pipeline([
            PGStatement(Self.selectSeals + " WHERE name = $1 OR es_id = $1 LIMIT 1", [.text(name)], prepared: true),
            PGStatement(Self.selectGrants + """
                 WHERE seal = (SELECT name FROM sealpress.seals WHERE name = $1 OR es_id = $1 LIMIT 1) AND principal = $2
                 ORDER BY id
                """, [.text(name), .text(principal)], prepared: true),
            PGStatement("SELECT floor(extract(epoch FROM clock_timestamp()))::float8 AS now", [], prepared: true),
        ])
        let databaseTime = Date(timeIntervalSince1970: try results[2][0].double("now"))
        guard let seal = try results[0].first.map(Self.decodeSeal) else { return (nil, [], databaseTime) }
        return (seal, try results[1].map(Self.decodeGrant).filter { $0.seal == seal.name && $0.principal == principal },
                databaseTime)
    }

    // MARK: - Rows

    private static let selectSeals = """
        SELECT name, es_id, owner_organisation, owner_credit_code, seal_type, valid_from, valid_to, state, key_reference
        FROM sealpress.seals
        """

    private static func decodeSeal(_ row: PGRow) throws -> SealRecord {
        let referenceText = try row.string("key_reference")
        guard let reference = KeyReference(referenceText) else {
            throw RegistryError(.corruptRow, "seal '\(try row.string("name"))' has an unreadable key reference")
        }
        guard let state = SealRecord.State(rawValue: try row.string("state")) else {
            throw RegistryError(.corruptRow, "seal '\(try row.string("name"))' has an unknown state")
        }
        return SealRecord(
            name: try row.string("name"), esID: try row.string("es_id"),
            ownerOrganisation: try row.string("owner_organisation"), ownerCreditCode: try row.optionalString("owner_credit_code"),
            sealType: try row.string("seal_type"), validFrom: try row.date("valid_from"), validTo: try row.date("valid_to"),
            state: state, keyReference: reference)
    }

    private func recordEvent(
        seal: String, event: String, detail: String, actor: String? = nil, on connection: PGConnection
    ) throws {
        try connection.query(
            "INSERT INTO sealpress.registry_events (seal, event, detail, actor) VALUES ($1, $2, $3, coalesce($4, current_user))",
            [.text(seal), .text(event), .jsonb(detail), actor.map(PGValue.text) ?? .null])
    }
}

/// A registry operation that could not be carried out.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String { case unknownSeal, unknownGrant, invalidTransition, corruptRow }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }
        public static let unknownSeal = Code(.unknownSeal)
        public static let unknownGrant = Code(.unknownGrant)
        public static let invalidTransition = Code(.invalidTransition)
        public static let corruptRow = Code(.corruptRow)
    }

    public var code: Code
    public var reason: String
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }
    public var description: String { reason }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// A JSON string literal for `text` (quotes and control characters escaped).
func jsonString(_ text: String) -> String {
    let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
    return String(decoding: data, as: UTF8.self)
}
