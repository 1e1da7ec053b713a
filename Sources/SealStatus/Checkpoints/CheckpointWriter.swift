public import Foundation
public import Postgres
public import SealCrypto
public import SealPipeline

/// Signs the usage log's head with the status key, timestamps the signature when a TSA is given, and stores it
/// (`sealpress audit checkpoint`, the worker leader's periodic duty).
public struct CheckpointWriter: Sendable {
    public let signer: StatusSigner
    public let timeStamps: (any TimeStampProvider)?

    public init(signer: StatusSigner, timeStamps: (any TimeStampProvider)? = nil) {
        self.signer = signer
        self.timeStamps = timeStamps
    }

    /// Takes a checkpoint unless the newest one already covers the same head (`force` takes one anyway).
    ///
    /// - Returns: the stored checkpoint, and whether it is new.
    public func checkpoint(
        on connection: PGConnection, force: Bool = false, now: Date = Date()
    ) throws(StatusError) -> (checkpoint: StoredCheckpoint, isNew: Bool) {
        let store = UsageCheckpointStore()
        let head: (rowCount: Int64, lastHash: String)
        let latest: StoredCheckpoint?
        do {
            head = try store.head(on: connection)
            latest = try store.latest(on: connection)
        } catch {
            throw StatusError(.databaseFailed, "cannot read the usage log's head: \(Self.describe(error))")
        }
        if !force, let latest, latest.rowCount == head.rowCount, latest.lastHash == head.lastHash {
            return (latest, false)
        }
        let statement = CheckpointStatement(
            issuer: signer.issuer, rowCount: head.rowCount, lastHash: head.lastHash, createdAt: now)
        let bytes: [UInt8]
        do {
            bytes = try StatusJSON.encode(statement)
        } catch {
            throw StatusError(.signingFailed, "cannot encode the checkpoint statement")
        }
        let signature = try signer.sign(bytes, at: now)
        var token: [UInt8]?
        if let timeStamps {
            do {
                token = try timeStamps.timeStampToken(digest: Digest.hash(.sha256, signature), algorithm: .sha256)
            } catch {
                throw StatusError(.unreachable, "the TSA could not timestamp the checkpoint: \(error)")
            }
        }
        do {
            let id = try store.insert(
                rowCount: head.rowCount, lastHash: head.lastHash, statement: bytes, signature: signature,
                timestampToken: token, on: connection)
            return (
                StoredCheckpoint(
                    id: id, rowCount: head.rowCount, lastHash: head.lastHash, statement: bytes, signature: signature,
                    timestampToken: token, createdAt: now), true
            )
        } catch {
            throw StatusError(.databaseFailed, "cannot store the checkpoint: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PGError { return error.reason }
        return String(describing: error)
    }
}

extension PublishedCheckpoint {
    public init(_ stored: StoredCheckpoint) {
        self.init(
            id: stored.id, rowCount: stored.rowCount, lastHash: stored.lastHash, createdAt: stored.createdAt,
            statement: stored.statement, signature: stored.signature, timestampToken: stored.timestampToken)
    }
}
