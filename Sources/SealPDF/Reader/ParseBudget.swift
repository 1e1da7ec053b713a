import Synchronization

/// Caps the total bytes the parser may walk for one document.
///
/// Objects of a sane file do not overlap, so loading all of them walks about the file size. Hostile files
/// make many cross-reference entries point into one huge unterminated string or stream, turning lazy loads
/// quadratic; once this budget is spent further loads fail with `.limitExceeded` instead of hanging.
final class ParseBudget: Sendable {
    private let limit: Int
    private let spent = Mutex(0)

    init(fileBytes: Int, limits: PDFLimits) {
        let (scaled, overflow) = fileBytes.multipliedReportingOverflow(by: max(1, limits.parseWorkFactor))
        let (total, overflow2) = scaled.addingReportingOverflow(max(0, limits.parseWorkAllowanceBytes))
        limit = overflow || overflow2 ? Int.max : total
    }

    /// Throws when the budget is already spent (call before parsing).
    func check() throws(PDFError) {
        if spent.withLock({ $0 }) > limit {
            throw PDFError(.limitExceeded, "parse work budget exhausted (overlapping or self-referencing objects)")
        }
    }

    /// Records bytes walked.
    func charge(_ bytes: Int) {
        spent.withLock { $0 = $0 &+ max(0, bytes) }
    }
}
