public import Foundation
import SealCrypto
public import SealPipeline
public import SealStatus
import Synchronization

/// Builds and signs status responses. Bodies are deterministic, so a signature is reused while the body is the
/// same (keyed by its SHA-256), and the ETag is that digest.
public final class SealStatusResponder: Sendable {
    /// A signed answer.
    public struct Signed: Sendable {
        public var body: [UInt8]
        public var signatureDER: [UInt8]
        /// Strong ETag (quoted hex SHA-256 of the body, first 32 digits).
        public var etag: String
    }

    public let signer: StatusSigner?
    public let database: ServerDatabase
    public let maxAge: Int
    private let signatures = Mutex<[String: [UInt8]]>([:])

    public init(signer: StatusSigner?, database: ServerDatabase, maxAge: Int) {
        self.signer = signer
        self.database = database
        self.maxAge = maxAge
    }

    /// ``status(esID:now:)`` as a value (for route closures, where a typed catch is not inferred).
    public func result(esID: String) async -> Result<Signed?, StatusError> {
        do {
            return .success(try await status(esID: esID))
        } catch {
            return .failure(error)
        }
    }

    /// The signed document for `esID`, or nil when no seal has it.
    ///
    /// - Throws: ``StatusError`` `statusKeyUnusable` (no key configured), `databaseFailed`, `signingFailed`.
    public func status(esID: String, now: Date = Date()) async throws(StatusError) -> Signed? {
        guard let signer else {
            throw StatusError(.statusKeyUnusable, "this server has no status key: start it with --status-key")
        }
        let history: SealStatusHistory?
        do {
            history = try await database.withConnection { connection in
                try SealRegistry().statusHistory(esID: esID, on: connection)
            }
        } catch {
            throw StatusError(.databaseFailed, "the seal registry cannot be read")
        }
        guard let history else { return nil }
        let body: [UInt8]
        do {
            body = try SealStatusDocument(history: history, issuer: signer.issuer, now: now).encoded()
        } catch {
            throw StatusError(.malformedDocument, "the status document cannot be encoded")
        }
        let digest = StatusJSON.hex(Digest.hash(.sha256, body))
        let signature: [UInt8]
        if let cached = signatures.withLock({ $0[digest] }) {
            signature = cached
        } else {
            signature = try signer.sign(body, at: now)
            signatures.withLock { cache in
                if cache.count >= 10_000 { cache.removeAll(keepingCapacity: true) }
                cache[digest] = signature
            }
        }
        return Signed(body: body, signatureDER: signature, etag: "\"\(digest.prefix(32))\"")
    }
}
