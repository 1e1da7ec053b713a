import ArgumentParser
import Foundation
import SealCrypto

/// File and argument readers shared by the seal subcommands.
enum SealCommandInput {
    static func read(_ path: String, what: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CouldNotRun("cannot read the \(what) \(path)")
        }
    }

    /// Certificates from a PEM file (any number of CERTIFICATE blocks) or a single DER certificate.
    static func certificates(_ path: String, what: String) throws -> [Certificate] {
        let bytes = try read(path, what: what)
        do {
            if let text = String(bytes: bytes, encoding: .utf8), text.contains("-----BEGIN") {
                let list = try Certificate.certificates(pem: text)
                guard !list.isEmpty else { throw CouldNotRun("the \(what) \(path) holds no certificate") }
                return list
            }
            return [try Certificate(der: bytes)]
        } catch let error as CouldNotRun {
            throw error
        } catch {
            throw CouldNotRun("the \(what) \(path) is not an X.509 certificate (PEM or DER)")
        }
    }

    /// A private key from PEM (optionally encrypted) or DER PKCS#8.
    static func privateKey(_ path: String, password: String?, what: String) throws -> PrivateKey {
        let bytes = try read(path, what: what)
        do {
            if let text = String(bytes: bytes, encoding: .utf8), text.contains("-----BEGIN") {
                return try PrivateKey(pem: text, password: password)
            }
            return try PrivateKey(der: bytes)
        } catch {
            throw CouldNotRun("cannot load the \(what) \(path) (wrong password?): \(UserMessage.reason(error))")
        }
    }

    /// `2026-01-01` (a calendar day in China Standard Time: its first second, or with `endOfDay` its last) or a
    /// full ISO 8601 date-time (`2026-01-01T08:00:00+08:00`, `2026-01-01T00:00:00Z`).
    static func date(_ text: String, endOfDay: Bool = false) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let dayOnly = trimmed.count == 10 && trimmed.split(separator: "-").count == 3
        if dayOnly {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
            let parts = trimmed.split(separator: "-").compactMap { Int($0) }
            // Calendar rolls an impossible date over (2030-13-31 → 2031-01-31, 2025-02-30 → 2025-03-02): only a date
            // that comes back with the same year, month and day as typed is one.
            guard parts.count == 3,
                let start = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
                calendar.dateComponents([.year, .month, .day], from: start)
                    == DateComponents(year: parts[0], month: parts[1], day: parts[2])
            else { return nil }
            return endOfDay ? start.addingTimeInterval(86_399) : start
        }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: trimmed)
    }
}

/// A seal or grant whose validity does not allow what was asked (`seal make`, `seal register`, `seal grant`).
struct SealValidityError: Error, Hashable, CustomStringConvertible {
    struct Code: Hashable, CustomStringConvertible {
        private enum Base: String { case sealExpired, validityReversed, sealNotValidYet, grantOutsideSealValidity }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        var description: String { base.rawValue }
        /// The seal's validity ended before now.
        static let sealExpired = Code(.sealExpired)
        /// --valid-to is not after --valid-from.
        static let validityReversed = Code(.validityReversed)
        /// The seal's validity starts after the grant does.
        static let sealNotValidYet = Code(.sealNotValidYet)
        /// The grant ends after the seal's validity (or starts before it).
        static let grantOutsideSealValidity = Code(.grantOutsideSealValidity)
    }

    var code: Code
    var reason: String
    var description: String { reason }

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    func hash(into hasher: inout Swift.Hasher) { hasher.combine(code) }

    /// `seal make`: the validity must run forwards and not have ended.
    /// `now` nil skips the expiry check (`--force`).
    static func checkMakeable(validFrom: Date, validTo: Date, now: Date?) throws(SealValidityError) {
        guard validTo > validFrom else {
            throw SealValidityError(code: .validityReversed, reason: "--valid-to must be after --valid-from")
        }
        if let now, validTo <= now {
            throw SealValidityError(
                code: .sealExpired,
                reason: "the seal would already be expired (--valid-to \(SealRegistryInput.day(validTo)) is in the past); "
                    + "give a --valid-to in the future (or --force for a test fixture)")
        }
    }
}
