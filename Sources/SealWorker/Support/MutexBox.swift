import Synchronization

/// A ``Mutex`` in a reference, for state that escaping closures share (a `Mutex` itself is not copyable and
/// cannot be captured by one). Stored properties use `Mutex` directly.
final class MutexBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result: Sendable, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try mutex.withLock { (value: inout Value) throws(Failure) -> Result in try body(&value) }
    }
}

/// The former name, kept while Worker.swift (split by another change) still says `Locked`.
typealias Locked = MutexBox
