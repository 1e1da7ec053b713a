import Foundation
import SealPDF
import Synchronization

/// Prepared PDF stampers for the current second: a stamper frames the CMS and compresses the seal picture once,
/// and is shared by every slot signing with the same pipeline, seal and placement within that second (the
/// signing time, which a stamper carries, has one-second resolution). Older entries are dropped.
/// Stampers are immutable and thread-safe; one is made outside the lock.
final class PDFStamperCache: Sendable {
    private struct Entries {
        var second: Int64 = .min
        var stampers: [String: PDFStamper] = [:]
    }

    private let entries = Mutex(Entries())

    func stamper(key: String, second: Int64, make: () throws -> PDFStamper) throws -> PDFStamper {
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
