import Foundation
import Postgres
import SealPipeline
import SealQueue
import SealTestSupport
import Testing

@Suite struct PipelineSchemaTests {
    func record(_ i: Int, tsa: String? = nil) -> UsageRecord {
        UsageRecord(
            sequence: 0, jobID: Int64(i), principal: "licence-office", seal: "bureau", esID: "11010000001",
            certificateSerial: "1A2B", format: "pdf/pades-b-b", documentBefore: String(repeating: "a", count: 64),
            documentAfter: String(repeating: "b", count: 64),
            signedAt: Date(timeIntervalSince1970: 1_790_000_000.123456 + Double(i)), timestampTokenHash: tsa,
            host: "worker-\(i % 3)", previousHash: "")
    }

    @Test func migratesTwiceAndChainsInsertsAsSwiftDoes() throws {
        let url = try PipelineDatabase.fresh()
        let connection = try PGConnection(url)
        defer { connection.close() }
        #expect(try Migrator.migrate(connection, migrations: PipelineSchema.allMigrations).isEmpty)
        let log = UsageLog()
        for i in 1...25 { try log.append(record(i, tsa: i.isMultiple(of: 2) ? "cd" : nil), on: connection) }
        let rows = try log.rows(on: connection)
        #expect(rows.map(\.sequence) == Array(1...25))
        #expect(rows[0].previousHash == UsageRecord.genesisHash)
        // The database's chain is the one Swift computes.
        let outcome = try log.verify(with: .sha256, on: connection, pageSize: 7)
        #expect(outcome.isIntact, "\(outcome.reason ?? "")")
        #expect(outcome.checkedRows == 25)
    }

    /// A database that ran the first release (queue v1, pipeline v100) upgrades: deltas for batches, the inlinable
    /// chain encoding; rows written before and after the upgrade form one chain Swift verifies.
    @Test func upgradingAnOlderSchemaKeepsTheChainVerifiable() throws {
        let url = try TestPostgres.shared.makeDatabase(prefix: "upgrade")
        let connection = try PGConnection(url)
        defer { connection.close() }
        let firstRelease = Migration.all.filter { $0.version == 1 } + [PipelineSchema.migration]
        #expect(try Migrator.migrate(connection, migrations: firstRelease).map(\.version) == [1, 100])
        let log = UsageLog()
        for i in 1...5 { try log.append(record(i), on: connection) }
        let applied = try Migrator.migrate(connection, migrations: PipelineSchema.allMigrations).map(\.version)
        #expect(applied == [2, 3, 4, 5, 6, 7, 8, 101, 102, 103, 104, 105])
        // The upgraded producer API holds every producer to the stamp contract.
        let queue = JobQueue(connection: connection)
        let document = Data("%PDF-1.7".utf8)
        let args = StampJobArguments(pipeline: "licence", principal: "office").json
        #expect(throws: QueueError(.invalidArguments, "")) { try queue.enqueue(NewJob(kind: "stamp", argsJSON: args)) }
        #expect(throws: QueueError(.invalidArguments, "")) {
            try queue.enqueue(NewJob(kind: "stamp", argsJSON: #"{"pipeline": "", "principal": "office"}"#, document: document))
        }
        #expect(throws: QueueError(.invalidArguments, "")) {
            try queue.enqueue(NewJob(kind: "stamp", argsJSON: #"{"pipeline": "licence"}"#, document: document))
        }
        #expect(throws: QueueError(.invalidArguments, "")) { try queue.enqueueMany(kind: "stamp", argsJSON: [args]) }
        #expect(throws: QueueError(.invalidArguments, "")) { try queue.enqueue(NewJob(kind: "verify")) }
        #expect(try queue.enqueue(NewJob(kind: "stamp", argsJSON: args, document: document)).created)
        #expect(try queue.enqueueMany(kind: "noop", argsJSON: ["{}"]).count == 1)
        for i in 6...10 { try log.append(record(i, tsa: "ef"), on: connection) }
        let outcome = try log.verify(with: .sha256, on: connection, pageSize: 4)
        #expect(outcome.isIntact, "\(outcome.reason ?? "")")
        #expect(outcome.checkedRows == 10)
        // The upgraded worker role may use the batch deltas the new triggers write.
        let grants = try connection.query(
            """
            SELECT has_table_privilege('sealpress_worker', 'sealpress.batch_deltas', 'INSERT')
               AND has_table_privilege('sealpress_worker', 'sealpress.batch_deltas', 'DELETE')
            """)[0]
        #expect(try grants.bool(0))
    }

    @Test func usageLogRefusesUpdateAndDeleteEvenForItsOwner() throws {
        let url = try PipelineDatabase.fresh()
        let connection = try PGConnection(url)
        defer { connection.close() }
        try UsageLog().append(record(1), on: connection)
        #expect(throws: PGError.self) { try connection.query("UPDATE sealpress.usage_log SET host = 'x'") }
        #expect(throws: PGError.self) { try connection.query("DELETE FROM sealpress.usage_log") }
        #expect(throws: PGError.self) { try connection.query("TRUNCATE sealpress.usage_log") }
        #expect(try connection.query("SELECT count(*) FROM sealpress.usage_log")[0].int(0) == 1)
    }

    @Test func workerRoleMayOnlyInsertIntoTheUsageLog() throws {
        let url = try PipelineDatabase.fresh()
        let admin = try PGConnection(url)
        defer { admin.close() }
        let role = "w_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
        try admin.execute("CREATE ROLE \(role) LOGIN PASSWORD 'worker-secret' IN ROLE sealpress_worker")
        let worker = try PGConnection(PipelineDatabase.url(url, user: role, password: "worker-secret"))
        defer { worker.close() }
        try UsageLog().append(record(1), on: worker)
        for sql in [
            "UPDATE sealpress.usage_log SET host = 'forged'", "DELETE FROM sealpress.usage_log",
            "TRUNCATE sealpress.usage_log", "UPDATE sealpress.seals SET state = 'active'",
            "INSERT INTO sealpress.grants (seal, principal, valid_from, valid_to) VALUES ('x', 'y', now(), now() + interval '1 day')",
        ] {
            do {
                _ = try worker.query(sql)
                Issue.record("the worker role could run: \(sql)")
            } catch let error as PGError {
                #expect(error.sqlState == "42501", "\(sql): \(error)")  // insufficient_privilege
            }
        }
        // The worker still reads the registry and works the queue.
        _ = try worker.query("SELECT count(*) FROM sealpress.seals")
        _ = try worker.query("SELECT count(*) FROM sealpress.jobs")
        #expect(try admin.query("SELECT count(*) FROM sealpress.usage_log")[0].int(0) == 1)
    }

    @Test func auditVerifyFindsARowTamperedBySuperuser() throws {
        let url = try PipelineDatabase.fresh()
        let connection = try PGConnection(url)
        defer { connection.close() }
        for i in 1...10 { try UsageLog().append(record(i), on: connection) }
        try connection.execute("""
            SET session_replication_role = replica;
            UPDATE sealpress.usage_log SET principal = 'someone-else' WHERE sequence = 4;
            SET session_replication_role = origin;
            """)
        let outcome = try UsageLog().verify(with: .sha256, on: connection)
        #expect(outcome.firstBadSequence == 4)
        #expect(outcome.reason?.contains("changed") == true)
    }
}
