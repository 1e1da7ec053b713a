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
        let connection = try database.connectExisting()
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
        let connection = try database.connectExisting()
        defer { connection.close() }
        let records: [UsageRecord]
        do {
            records = try UsageLog().recent(seal: seal, limit: limit, on: connection)
        } catch {
            throw CouldNotRun("cannot read the usage log: \(error)")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var objects: [[String: Any]] = []
        for record in records {
            var object: [String: Any] = [
                "sequence": record.sequence, "principal": record.principal, "seal": record.seal, "esID": record.esID,
                "certificateSerial": record.certificateSerial, "format": record.format,
                "documentBefore": record.documentBefore, "documentAfter": record.documentAfter,
                "signedAt": formatter.string(from: record.signedAt), "host": record.host, "rowHash": record.rowHash,
            ]
            if let job = record.jobID { object["job"] = job }
            if let token = record.timestampTokenHash { object["timestampTokenHash"] = token }
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
}
