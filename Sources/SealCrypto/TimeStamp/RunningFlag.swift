import Synchronization

/// A shareable stop flag.
final class RunningFlag: Sendable {
    let value = Atomic<Bool>(true)
}
