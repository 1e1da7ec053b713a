import Foundation
import Postgres
import SealQueue

/// Turns queue and database errors into one-line "could not run" messages (exit 3).
enum QueueCommandSupport {
    static func couldNotRun(_ error: any Error, doing what: String) -> any Error {
        switch error {
        case let error as QueueError:
            return CouldNotRun(error.reason)
        case let error as PGError where error.code == .connectionFailed || error.isConnectionError:
            return CouldNotRun("cannot reach PostgreSQL while trying to \(what): \(error.reason)")
        case let error as PGError:
            return CouldNotRun("\(what) failed: \(error.description)")
        default:
            return error
        }
    }

    /// "1.2 s", "3 min", "2.1 h".
    static func age(_ seconds: Double) -> String {
        if seconds < 120 { return String(format: "%.1f s", seconds) }
        if seconds < 7200 { return String(format: "%.0f min", seconds / 60) }
        return String(format: "%.1f h", seconds / 3600)
    }

    /// JSON text of an Encodable value (sorted keys, ISO 8601 dates).
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
