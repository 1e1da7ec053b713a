import Foundation
import SealPDF

/// Prepared PDF stampers for the current second: a stamper frames the CMS and compresses the seal picture once,
/// and is shared by every slot signing with the same pipeline, seal and placement within that second (the
/// signing time, which a stamper carries, has one-second resolution). Older entries are dropped.
///
/// `@unchecked Sendable`: the dictionary is guarded by `lock`; stampers are immutable and thread-safe.
final class PDFStamperCache: @unchecked Sendable {
    private let lock = NSLock()
    private var second: Int64 = .min
    private var stampers: [String: PDFStamper] = [:]

    func stamper(key: String, second: Int64, make: () throws -> PDFStamper) throws -> PDFStamper {
        lock.lock()
        if second == self.second, let cached = stampers[key] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let made = try make()
        lock.lock()
        if second > self.second {
            self.second = second
            stampers.removeAll(keepingCapacity: true)
        }
        if second == self.second { stampers[key] = made }
        lock.unlock()
        return made
    }
}
