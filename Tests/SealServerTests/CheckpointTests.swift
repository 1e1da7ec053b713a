import Foundation
import Postgres
import SealCrypto
import SealPipeline
import SealStatus
import SealTestSupport
import Testing

/// Signed usage-log checkpoints: a database superuser who rewrites or removes rows cannot hide it.
@Suite struct CheckpointTests {
    static func row(_ i: Int) -> UsageRecord {
        UsageRecord(
            sequence: 0, jobID: Int64(i), principal: "office", seal: "bureau", esID: "ES-CP", certificateSerial: "0A",
            format: "pdf", documentBefore: String(repeating: "a", count: 64), documentAfter: String(repeating: "b", count: 64),
            signedAt: Date(timeIntervalSince1970: 1_780_000_000 + Double(i)), timestampTokenHash: nil, host: "worker-1",
            previousHash: "")
    }

    /// Nine rows with a checkpoint after every third; returns the published list.
    static func logWithCheckpoints(_ world: StatusWorld, on connection: PGConnection) throws -> CheckpointList {
        let writer = CheckpointWriter(signer: world.signer)
        let empty = try writer.checkpoint(on: connection)
        #expect(empty.isNew && empty.checkpoint.rowCount == 0)
        for round in 0..<3 {
            for i in 1...3 { try UsageLog().append(row(round * 3 + i), on: connection) }
            let taken = try writer.checkpoint(on: connection)
            #expect(taken.isNew && taken.checkpoint.rowCount == Int64(round * 3 + 3))
        }
        #expect(try !writer.checkpoint(on: connection).isNew, "an unchanged head is not signed again")
        return CheckpointList(checkpoints: try UsageCheckpointStore().all(on: connection).map(PublishedCheckpoint.init))
    }

    @Test func theFirstBrokenCheckpointIsNamed() throws {
        let world = try StatusWorld(prefix: "checkpoints")
        defer { world.remove() }
        let connection = try world.connection()
        defer { connection.close() }
        let list = try Self.logWithCheckpoints(world, on: connection)
        #expect(list.checkpoints.map(\.rowCount) == [0, 3, 6, 9])
        let intact = try CheckpointVerifier.verify(list, trust: world.pki.trustStore, on: connection)
        #expect(intact.firstBroken == nil)
        #expect(intact.results.allSatisfy(\.holds) && intact.results.count == 4)

        // As the superuser (triggers off for this session): remove the last two rows.
        try connection.execute("SET session_replication_role = replica")
        try connection.execute("DELETE FROM sealpress.usage_log WHERE sequence > 7")
        let truncated = try CheckpointVerifier.verify(list, trust: world.pki.trustStore, on: connection)
        #expect(truncated.firstBroken?.id == list.checkpoints[3].id)
        #expect(truncated.firstBroken?.reason?.contains("removed") == true)
        #expect(truncated.results.filter(\.holds).count == 3)

        // Rewrite row 5 and every hash after it, as a careful forger would: checkpoint 3 (row 6) is now the first.
        try connection.execute("UPDATE sealpress.usage_log SET principal = 'mallory' WHERE sequence = 5")
        var previous = try #require(try UsageLog().rows(after: 3, limit: 1, on: connection).first)
        for row in try UsageLog().rows(after: 4, on: connection) {
            var relinked = row
            relinked.previousHash = previous.rowHash
            relinked.rowHash = AuditChain.sha256.rowHash(for: relinked)
            try connection.query(
                "UPDATE sealpress.usage_log SET previous_hash = $2, row_hash = $3 WHERE sequence = $1",
                [.int64(row.sequence), .text(relinked.previousHash), .text(relinked.rowHash)])
            previous = relinked
        }
        try connection.execute("SET session_replication_role = origin")
        #expect(try UsageLog().verify(with: .sha256, on: connection).isIntact, "the chain alone no longer shows it")
        let forged = try CheckpointVerifier.verify(list, trust: world.pki.trustStore, on: connection)
        #expect(forged.firstBroken?.id == list.checkpoints[2].id)
        #expect(forged.firstBroken?.rowCount == 6)
        #expect(forged.results.first { $0.rowCount == 3 }?.holds == true)
    }

    @Test func aCheckpointWithABadSignatureDoesNotHold() throws {
        let world = try StatusWorld(prefix: "checkpoints")
        defer { world.remove() }
        let connection = try world.connection()
        defer { connection.close() }
        var list = try Self.logWithCheckpoints(world, on: connection)
        // A listed head that differs from the signed statement is refused.
        list.checkpoints[1].rowCount = 2
        let outcome = try CheckpointVerifier.verify(list, trust: world.pki.trustStore, on: connection)
        #expect(outcome.firstBroken?.id == list.checkpoints[1].id)
        #expect(outcome.firstBroken?.reason?.contains("differs from the signed one") == true)
        // Signed by a key that does not chain to the given roots.
        let other = try DemoPKIRoots.other()
        let untrusted = try CheckpointVerifier.verify(list, trust: other, on: connection)
        #expect(untrusted.results.allSatisfy { !$0.holds })
    }
}

enum DemoPKIRoots {
    static func other() throws -> SealCrypto.TrustStore { try DemoPKI.make().trustStore }
}
