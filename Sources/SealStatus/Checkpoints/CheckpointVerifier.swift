public import Foundation
public import Postgres
public import SealCrypto
public import SealPipeline

/// Proves the usage log still extends every published checkpoint, or names the first one it does not.
///
/// The chain is recomputed from the rows' contents (never trusting the stored `row_hash`), so a row rewritten
/// together with every later hash still breaks each checkpoint at or after it; rows deleted from the end break
/// every checkpoint that covered them.
public enum CheckpointVerifier {
    /// The verdict on one checkpoint.
    public struct Result: Sendable, Hashable {
        public var id: Int64
        public var rowCount: Int64
        public var createdAt: Date
        public var holds: Bool
        /// Why it does not hold (nil when it holds).
        public var reason: String?
        /// Who signed it (the status certificate's subject), when the signature verified.
        public var signer: String?
        public var timestamped: Bool
    }

    /// Everything `audit verify --checkpoints` reports.
    public struct Outcome: Sendable {
        public var results: [Result]
        public var rowsInLog: Int64
        /// The earliest checkpoint (by row count, then id) that does not hold.
        public var firstBroken: Result? {
            results.filter { !$0.holds }.min { ($0.rowCount, $0.id) < ($1.rowCount, $1.id) }
        }
    }

    /// A checkpoint whose signature and statement checked out.
    struct Claim {
        var published: PublishedCheckpoint
        var statement: CheckpointStatement
        var signer: String
    }

    /// Verifies signatures (with `trust`: chained to its roots) and that the log extends each checkpoint.
    public static func verify(
        _ list: CheckpointList, trust: TrustStore?, on connection: PGConnection, pageSize: Int = 10_000
    ) throws(StatusError) -> Outcome {
        var results: [Result] = []
        var claims: [Claim] = []
        for published in list.checkpoints {
            switch claim(published, trust: trust) {
            case .success(let claim): claims.append(claim)
            case .failure(let error):
                results.append(
                    Result(
                        id: published.id, rowCount: published.rowCount, createdAt: published.createdAt, holds: false,
                        reason: error.reason, signer: nil, timestamped: published.timestampToken != nil))
            }
        }
        // Walk the log once, recomputing the chain; compare at each claimed row count.
        let pending = claims.sorted { ($0.statement.rowCount, $0.published.id) < ($1.statement.rowCount, $1.published.id) }
        var next = 0
        var computed = UsageRecord.genesisHash
        var count: Int64 = 0
        var firstDivergence: String?
        let chain = AuditChain.sha256
        func settle(upTo rows: Int64) {
            while next < pending.count, pending[next].statement.rowCount <= rows {
                let claim = pending[next]
                var reason: String?
                if claim.statement.rowCount == count && claim.statement.lastHash != computed {
                    reason = "the log no longer extends this checkpoint: "
                        + (firstDivergence ?? "row \(count)'s content differs from what was signed")
                } else if claim.statement.rowCount > count {
                    reason = "the log has \(count) rows but this checkpoint covers \(claim.statement.rowCount): "
                        + "rows were removed"
                }
                results.append(
                    Result(
                        id: claim.published.id, rowCount: claim.statement.rowCount, createdAt: claim.statement.createdAt,
                        holds: reason == nil, reason: reason, signer: claim.signer,
                        timestamped: claim.published.timestampToken != nil))
                next += 1
            }
        }
        settle(upTo: 0)
        var after: Int64 = 0
        pageLoop: while next < pending.count {
            let page: [UsageRecord]
            do {
                page = try UsageLog().rows(after: after, limit: pageSize, on: connection)
            } catch {
                throw StatusError(.databaseFailed, "cannot read the usage log: \(CheckpointWriter.describe(error))")
            }
            for row in page {
                count += 1
                if firstDivergence == nil && row.sequence != count {
                    firstDivergence = "row \(count) is missing (the next row is numbered \(row.sequence))"
                }
                var relinked = row
                relinked.previousHash = computed
                computed = chain.rowHash(for: relinked)
                if firstDivergence == nil && (row.rowHash != computed || row.previousHash != relinked.previousHash) {
                    firstDivergence = "row \(row.sequence) was changed after it was written"
                }
                settle(upTo: count)
                if next >= pending.count { break pageLoop }
            }
            after = page.last?.sequence ?? after
            if page.count < pageSize { break }
        }
        settle(upTo: Int64.max)
        results.sort { ($0.rowCount, $0.id) < ($1.rowCount, $1.id) }
        return Outcome(results: results, rowsInLog: count)
    }

    /// Checks one checkpoint's signature and that its listed fields are the signed ones.
    static func claim(_ published: PublishedCheckpoint, trust: TrustStore?) -> Swift.Result<Claim, StatusError> {
        guard let statementBytes = Data(base64Encoded: published.statement),
            let signature = Data(base64Encoded: published.signature)
        else {
            return .failure(StatusError(.malformedDocument, "the checkpoint's statement or signature is not base64"))
        }
        let signed: SignedStatementVerifier.Signed
        do {
            signed = try SignedStatementVerifier.verify(
                content: Array(statementBytes), signatureDER: Array(signature), trust: trust)
        } catch {
            return .failure(StatusError(error.code, "the checkpoint's signature does not hold: \(error.reason)"))
        }
        guard let statement = try? StatusJSON.decode(CheckpointStatement.self, Array(statementBytes)),
            statement.type == CheckpointStatement.type, statement.version == 1
        else {
            return .failure(StatusError(.malformedDocument, "the checkpoint's statement is not a usage-log checkpoint"))
        }
        guard statement.rowCount == published.rowCount, statement.lastHash == published.lastHash else {
            return .failure(StatusError(.malformedDocument, "the checkpoint's listed head differs from the signed one"))
        }
        return .success(Claim(published: published, statement: statement, signer: signed.signer.subject))
    }
}
