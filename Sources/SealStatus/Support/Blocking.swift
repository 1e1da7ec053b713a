import Dispatch
import Synchronization

/// Runs async work for a synchronous caller — the CLI's `run()`, a worker's Dispatch slot — whose thread waits.
///
/// Never call it from async code or a cooperative-pool thread: the waiting thread would be one the work needs.
public enum Blocking {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let slot = BlockingSlot<T>()
        Task { slot.fill(await body()) }
        return slot.wait()
    }
}

/// The one value a ``Blocking/run(_:)`` call waits for.
final class BlockingSlot<T: Sendable>: Sendable {
    private let value = Mutex<T?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func fill(_ result: T) {
        value.withLock { $0 = result }
        done.signal()
    }

    func wait() -> T {
        done.wait()
        return value.withLock { $0! }
    }
}
