import Foundation
import SealPDF
import Synchronization

/// Prepared PDF stampers for the current second: a stamper frames the CMS and compresses the seal picture once,
/// and is shared by every slot signing with the same pipeline, seal and placement within that second (the
/// signing time, which a stamper carries, has one-second resolution). Older entries are dropped.
/// Stampers are immutable and thread-safe; one is made outside the lock.
final class PDFStamperCache: Sendable {
    /// What makes two requests share a stamper: compared as values (it was once a string of the placement's
    /// `String(describing:)`, whose reflection cost ≈ 3 % of a pipeline worker's CPU).
    struct Key: Hashable, Sendable {
        var pipeline: String
        var esID: String
        var placement: PDFPlacement?
        var riding: PDFRidingSeal?
        var certify: PDFCertification?
        var signerSerial: String
    }

    private struct Entries {
        var second: Int64 = .min
        var stampers: [Key: PDFStamper] = [:]
    }

    private let entries = Mutex(Entries())

    func stamper(key: Key, second: Int64, make: () throws -> PDFStamper) throws -> PDFStamper {
        let cached = entries.withLock { entries in second == entries.second ? entries.stampers[key] : nil }
        if let cached { return cached }
        let made = try make()
        entries.withLock { entries in
            if second > entries.second {
                entries.second = second
                entries.stampers.removeAll(keepingCapacity: true)
            }
            if second == entries.second { entries.stampers[key] = made }
        }
        return made
    }
}
