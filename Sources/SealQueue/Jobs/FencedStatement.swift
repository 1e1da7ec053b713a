import Postgres

/// A statement a completion runs in the same transaction as its fenced `UPDATE … SET state = 'completed'`, and
/// only when the fence held (the job was still this worker's, on this attempt). The stamping pipeline writes its
/// usage-log rows this way, so a row exists exactly when the signed output does.
public struct FencedStatement: Sendable, Hashable {
    public var sql: String
    public var parameters: [PGValue]

    public init(sql: String, parameters: [PGValue] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}
