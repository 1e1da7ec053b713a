import ElectronicSeal
import Foundation
import SealCrypto
import SealPDF
import Synchronization

/// Per-process cache of what signing with a seal needs: the signer from its key reference (loaded once per seal,
/// after pre-flight passed) and the parsed `.esl`. Keys are never cached for a seal whose reference changed.
final class SealMaterialCache: Sendable {
    struct SealMaterial: Sendable {
        var esl: [UInt8]
        var seal: SESeal
        /// The seal's picture decoded for PDF appearances (nil when it is not a raster the PDF engine draws).
        var image: SealImage?
    }

    private struct Entries {
        var signers: [String: any Signer] = [:]
        var seals: [String: SealMaterial] = [:]
    }

    private let entries = Mutex(Entries())

    // A miss is filled while holding the lock: when a worker starts, all its slots ask at once, and one of them
    // loading the key and decoding the seal picture beats every slot doing it in parallel (16 PNG decodes on a
    // 2-core machine cost a few percent of a short batch).

    func signer(for seal: SealRecord, environment: [String: String]) throws(KeyResolutionError) -> any Signer {
        let key = seal.name + "\u{0}" + seal.keyReference.description
        return try entries.withLock { (entries) throws(KeyResolutionError) -> any Signer in
            if let cached = entries.signers[key] { return cached }
            let signer = try KeyResolver.signer(for: seal.keyReference, environment: environment)
            entries.signers[key] = signer
            return signer
        }
    }

    func material(for seal: SealRecord, load: () throws -> [UInt8]?) throws -> SealMaterial {
        let key = seal.name + "\u{0}" + seal.esID
        return try entries.withLock { entries throws -> SealMaterial in
            if let cached = entries.seals[key] { return cached }
            guard let esl = try load() else {
                throw JobFailureReason("seal '\(seal.name)' has no .esl in the registry")
            }
            let seal = try SESeal(bytes: esl)
            let parsed = SealMaterial(esl: esl, seal: seal, image: try? SealImage(imageBytes: Array(seal.picture.data)))
            entries.seals[key] = parsed
            return parsed
        }
    }
}

/// A plain reason used inside the pipeline's handlers before it becomes a `JobFailure`.
struct JobFailureReason: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
