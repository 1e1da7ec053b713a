public import Foundation

/// Why a stamp was refused before anything was signed. Stable codes: jobs store them and scripts match on them.
public struct StampRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String { case sealUnknown, sealSuspended, sealCancelled, sealRevoked, sealNotYetValid, sealExpired, notAuthorised }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        public static let sealUnknown = Code(.sealUnknown)
        public static let sealSuspended = Code(.sealSuspended)
        public static let sealCancelled = Code(.sealCancelled)
        public static let sealRevoked = Code(.sealRevoked)
        public static let sealNotYetValid = Code(.sealNotYetValid)
        public static let sealExpired = Code(.sealExpired)
        public static let notAuthorised = Code(.notAuthorised)
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code): \(reason)" }

    public static func == (lhs: StampRefusal, rhs: StampRefusal) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// The checks every stamp job passes before a key is touched: the seal is active, valid at the signing time, and
/// the principal holds a grant for this seal and pipeline at that time.
public enum Preflight {
    public static func check(
        seal: SealRecord?, sealName: String, grants: [Grant], principal: String, pipeline: String, at time: Date
    ) -> Result<SealRecord, StampRefusal> {
        guard let seal else {
            return .failure(StampRefusal(.sealUnknown, "seal '\(sealName)' is not registered"))
        }
        switch seal.state {
        case .suspended:
            return .failure(StampRefusal(.sealSuspended, "seal '\(seal.name)' is suspended (停用)"))
        case .cancelled:
            return .failure(StampRefusal(.sealCancelled, "seal '\(seal.name)' is cancelled (注销)"))
        case .revoked:
            return .failure(StampRefusal(.sealRevoked, "seal '\(seal.name)' is revoked (吊销)"))
        case .active:
            break
        }
        if time < seal.validFrom {
            return .failure(StampRefusal(.sealNotYetValid, "seal '\(seal.name)' is valid only from \(iso(seal.validFrom))"))
        }
        if time > seal.validTo {
            return .failure(StampRefusal(.sealExpired, "seal '\(seal.name)' expired at \(iso(seal.validTo))"))
        }
        guard grants.contains(where: { $0.seal == seal.name && $0.authorises(principal: principal, pipeline: pipeline, at: time) }) else {
            return .failure(
                StampRefusal(
                    .notAuthorised, "principal '\(principal)' holds no grant for seal '\(seal.name)' through pipeline '\(pipeline)' at this time"))
        }
        return .success(seal)
    }

    private static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
