import ArgumentParser
import Foundation
import Postgres
import SealCrypto
import SealNetClient
import SealPipeline
import SealStatus

/// `sealpress audit verify | log`: the append-only usage log (one row per signature, hash-chained).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check and read the usage log: every signature made, chained by hash.",
        subcommands: [AuditVerifyCommand.self, AuditLogCommand.self, AuditCheckpointCommand.self])
}

/// `sealpress audit verify [--checkpoints URL|FILE] [--json]`: recomputes the chain; exit 0 intact, 1 broken (naming
/// the first bad row, or the first checkpoint the log no longer extends).
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Prove the usage log's hash chain unbroken (exit 0), or name the first bad row (exit 1).",
        discussion: """
            With --checkpoints (a serve URL such as https://issuer:8443, its /audit/v1/checkpoints, or a file \
            holding that list), every published checkpoint's signature is checked and the chain is recomputed from \
            the rows' contents: the log must still extend each checkpoint (same row count reached, same hash). \
            Rows rewritten together with their hashes, or removed from the end, break every checkpoint at or after \
            them; the first broken one is named. --status-trust roots the checkpoints' signer must chain to.

            Example:
              sealpress audit verify --checkpoints https://issuer.example:8443 \\
                  --status-trust status-root.pem
            """)
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Published checkpoints to prove the log extends (URL or file).") var checkpoints: String?
    @Option(name: .customLong("status-trust"), help: "Root certificate the checkpoints' signer must chain to (repeatable).")
    var statusTrust: [String] = []

    func run() throws {
        let connection = try database.connectExisting()
        defer { connection.close() }
        if let checkpoints {
            try verifyCheckpoints(checkpoints, on: connection)
            return
        }
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

extension AuditVerifyCommand {
    func verifyCheckpoints(_ location: String, on connection: PGConnection) throws {
        let list: CheckpointList
        let outcome: CheckpointVerifier.Outcome
        do {
            list = try CheckpointSource.load(location)
            let roots = try TrustAnchors.load(statusTrust)
            outcome = try CheckpointVerifier.verify(list, trust: roots.isEmpty ? nil : TrustStore(roots: roots), on: connection)
        } catch let error as StatusError {
            throw CouldNotRun(error.reason)
        }
        let broken = outcome.firstBroken
        if json {
            var object: [String: Any] = [
                "intact": broken == nil, "checkpoints": outcome.results.count, "rowsInLog": outcome.rowsInLog,
                "results": outcome.results.map { result -> [String: Any] in
                    var item: [String: Any] = [
                        "id": result.id, "rowCount": result.rowCount, "holds": result.holds,
                        "timestamped": result.timestamped,
                    ]
                    if let reason = result.reason { item["reason"] = reason }
                    return item
                },
            ]
            if let broken {
                object["firstBrokenCheckpoint"] = broken.id
                object["reason"] = broken.reason ?? ""
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
        } else if let broken {
            print("usage log BROKEN at checkpoint \(broken.id) (row \(broken.rowCount), signed "
                + "\(StatusJSON.format(broken.createdAt))): \(broken.reason ?? "")")
        } else {
            print("usage log extends all \(outcome.results.count) checkpoint(s); \(outcome.rowsInLog) row(s) checked")
        }
        if broken != nil { throw ExitCode(1) }
    }
}

/// `sealpress audit checkpoint --status-key REF [--tsa URL]`: signs the usage log's head and stores it.
struct AuditCheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign the usage log's head (row count, last hash) with the status key and store it.",
        discussion: """
            The checkpoint is served at GET /audit/v1/checkpoints by `sealpress serve`; `audit verify --checkpoints` \
            later proves the log still extends it. With --tsa the signature is timestamped (RFC 3161). Nothing is \
            written when the newest checkpoint already covers the same head, unless --force. The worker's leader \
            takes checkpoints periodically when started with --checkpoint-every.

            Example:
              sealpress audit checkpoint \\
                  --status-key 'file:/k/status.key.pem?cert=/k/status.cert.pem' \\
                  --tsa http://tsa:318/
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("status-key"), help: "Key reference of the status key (default $SEALPRESS_STATUS_KEY).")
    var statusKey: String?
    @Option(help: "Issuer name in the statement (default: the status certificate's subject).") var issuer: String?
    @Option(help: "RFC 3161 time-stamp authority URL (http://) to timestamp the checkpoint.") var tsa: String?
    @Option(help: "Also write the checkpoint list (as served) to this file.") var out: String?
    @Flag(help: "Take a checkpoint even when the head did not move.") var force = false

    func run() throws {
        guard let reference = statusKey ?? ProcessInfo.processInfo.environment["SEALPRESS_STATUS_KEY"] else {
            throw ValidationError("give --status-key (or set SEALPRESS_STATUS_KEY): the key that signs checkpoints")
        }
        var timeStamps: (any TimeStampProvider)?
        if let tsa {
            guard let url = URL(string: tsa), url.scheme == "http" else {
                throw ValidationError("--tsa must be an http:// URL")
            }
            timeStamps = TimeStampClient(url: url)
        }
        let connection = try database.connect()
        defer { connection.close() }
        do {
            let writer = CheckpointWriter(signer: try StatusSigner.load(reference, issuer: issuer), timeStamps: timeStamps)
            let (checkpoint, isNew) = try writer.checkpoint(on: connection, force: force)
            print(
                (isNew ? "checkpoint \(checkpoint.id)" : "checkpoint \(checkpoint.id) already covers the head")
                    + ": \(checkpoint.rowCount) row(s), last hash \(checkpoint.lastHash)"
                    + (checkpoint.timestampToken != nil ? ", timestamped" : ""))
            if let out {
                let list = CheckpointList(
                    checkpoints: try UsageCheckpointStore().all(on: connection).map(PublishedCheckpoint.init))
                try Data(try list.encoded()).write(to: URL(fileURLWithPath: out), options: .atomic)
            }
        } catch let error as StatusError {
            throw CouldNotRun(error.reason)
        }
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
