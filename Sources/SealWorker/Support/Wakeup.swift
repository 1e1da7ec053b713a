import Foundation

/// A sticky wake-up flag a thread can sleep on: ``signal()`` before ``wait(seconds:)`` is not lost.
///
/// `@unchecked Sendable`: `pending` is only touched while holding `condition`.
final class Wakeup: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending = false

    /// Wakes the waiter (or the next wait, if nobody waits now).
    func signal() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Sleeps until signalled or `seconds` pass; returns true when signalled. Clears the flag.
    @discardableResult
    func wait(seconds: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if !pending, seconds > 0 {
            let deadline = Date(timeIntervalSinceNow: seconds)
            while !pending, condition.wait(until: deadline) {}
        }
        let was = pending
        pending = false
        return was
    }
}
