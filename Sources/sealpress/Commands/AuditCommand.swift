import ArgumentParser
import Foundation
import Postgres
import SealPipeline

/// `sealpress audit verify | log`: the append-only usage log (one row per signature, hash-chained).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check and read the usage log: every signature made, chained by hash.",
        subcommands: [AuditVerifyCommand.self, AuditLogCommand.self])
}

/// `sealpress audit verify [--json]`: recomputes the chain; exit 0 intact, 1 broken (naming the first bad row).
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Prove the usage log's hash chain unbroken (exit 0), or name the first bad row (exit 1).")
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let outcome: AuditChain.Outcome
        do {
            outcome = try UsageLog().verify(with: .sha256, on: connection)
        } catch let error as PGError {
            throw CouldNotRun("cannot read the usage log: \(error.description)")
        }
        if json {
            var object: [String: Any] = ["intact": outcome.isIntact, "checkedRows": outcome.checkedRows]
            if let bad = outcome.firstBadSequence { object["firstBadSequence"] = bad }
            if let reason = outcome.reason { object["reason"] = reason }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else if outcome.isIntact {
            print("usage log intact: \(outcome.checkedRows) row(s), chain unbroken")
        } else {
            print("usage log BROKEN at row \(outcome.firstBadSequence ?? 0): \(outcome.reason ?? "")")
        }
        if !outcome.isIntact { throw ExitCode(1) }
    }
}

/// `sealpress audit log [--seal S] [--json] [--limit N]`: the most recent usage rows.
struct AuditLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "List usage rows (newest last).")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "Only this seal (registry name).") var seal: String?
    @Option(help: "At most this many rows (the newest).") var limit: Int = 100
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let rows: [PGRow]
        do {
            rows = try Self.rows(seal: seal, limit: limit, on: connection)
        } catch {
            throw CouldNotRun("cannot read the usage log: \(error)")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var objects: [[String: Any]] = []
        for row in rows {
            var object: [String: Any] = [
                "sequence": try row.int("sequence"), "principal": try row.string("principal"),
                "seal": try row.string("seal"), "esID": try row.string("es_id"),
                "certificateSerial": try row.string("certificate_serial"), "format": try row.string("format"),
                "documentBefore": try row.string("document_before"), "documentAfter": try row.string("document_after"),
                "signedAt": formatter.string(from: try row.date("signed_at")), "host": try row.string("host"),
                "rowHash": try row.string("row_hash"),
            ]
            if let job = try row.optionalInt("job_id") { object["job"] = job }
            if let token = try row.optionalString("timestamp_token_hash") { object["timestampTokenHash"] = token }
            objects.append(object)
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if objects.isEmpty { print("no usage rows") }
        for o in objects {
            print("#\(o["sequence"]!)  \(o["signedAt"]!)  job \(o["job"] ?? "-")  \(o["principal"]!)  seal \(o["seal"]!)  "
                + "\(o["format"]!)  after \(String(describing: o["documentAfter"]!).prefix(16))…  \(o["host"]!)")
        }
    }

    private static func rows(seal: String?, limit: Int, on connection: PGConnection) throws -> [PGRow] {
        Array(try connection.query(
            """
            SELECT * FROM (
                SELECT sequence, job_id, principal, seal, es_id, certificate_serial, format, document_before,
                       document_after, signed_at, timestamp_token_hash, host, row_hash
                FROM sealpress.usage_log WHERE $1::text IS NULL OR seal = $1
                ORDER BY sequence DESC LIMIT $2) r ORDER BY sequence
            """, [seal.map(PGValue.text) ?? .null, .int(limit)]))
    }
}
