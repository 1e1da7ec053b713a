import Foundation

/// A one-line progress bar on standard error, drawn only when stderr is a terminal or `force` is set.
final class ProgressBar {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private var done = 0
    private var lastDraw = Date.distantPast

    init(total: Int, label: String, force: Bool = false) {
        self.total = total
        self.label = label
        self.enabled = total > 0 && (force || isatty(STDERR_FILENO) == 1)
    }

    func advance(by count: Int = 1) {
        done += count
        guard enabled else { return }
        let now = Date()
        if done < total && now.timeIntervalSince(lastDraw) < 0.1 { return }
        lastDraw = now
        let width = 30
        let filled = total == 0 ? width : min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// Ends the line if the bar was drawn but never reached the total.
    func finish() {
        if enabled && done < total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
