public import Foundation
public import SealPipeline

/// What `GET /status/v1/seals/{esID}` answers: one seal's state, validity and state history, as JSON.
///
/// The body is deterministic for a given registry state (sorted keys, no production time), so it doubles as the
/// ETag's input; the time a response was signed is the CMS `signingTime` attribute of its signature
/// (Docs/status-service.md).
public struct SealStatusDocument: Codable, Sendable, Hashable {
    /// The published state: the registry's, or `expired` once an active or suspended seal is past its validity.
    public enum State: String, Codable, Sendable, Hashable, CaseIterable {
        case active
        case suspended
        case revoked
        case cancelled
        case expired
    }

    /// One state the seal entered, and when.
    public struct StateChange: Codable, Sendable, Hashable {
        public var state: State
        public var at: Date

        public init(state: State, at: Date) {
            self.state = state
            self.at = at
        }
    }

    /// Format version of this document (1).
    public var version: Int
    public var esID: String
    /// The name inside the SESeal (印章名称).
    public var sealName: String
    public var sealType: String
    public var owner: String
    public var ownerCreditCode: String?
    public var state: State
    public var validFrom: Date
    public var validTo: Date
    /// When the registry state last changed.
    public var stateChangedAt: Date
    /// Every registry state the seal entered, oldest first (registration is the first `active`).
    public var stateChanges: [StateChange]
    /// Who answers for this seal: the installation's configured issuer name.
    public var issuer: String
    /// SHA-256 (hex) of the registered SESeal DER.
    public var sealSHA256: String

    public init(
        version: Int = 1, esID: String, sealName: String, sealType: String, owner: String, ownerCreditCode: String?,
        state: State, validFrom: Date, validTo: Date, stateChangedAt: Date, stateChanges: [StateChange], issuer: String,
        sealSHA256: String
    ) {
        self.version = version
        self.esID = esID
        self.sealName = sealName
        self.sealType = sealType
        self.owner = owner
        self.ownerCreditCode = ownerCreditCode
        self.state = state
        self.validFrom = validFrom
        self.validTo = validTo
        self.stateChangedAt = stateChangedAt
        self.stateChanges = stateChanges
        self.issuer = issuer
        self.sealSHA256 = sealSHA256
    }

    /// The document for a registry entry at `now`.
    public init(history: SealStatusHistory, issuer: String, now: Date = Date()) {
        let record = history.record
        var state: State = switch record.state {
        case .active: .active
        case .suspended: .suspended
        case .cancelled: .cancelled
        case .revoked: .revoked
        }
        if (state == .active || state == .suspended) && now > record.validTo { state = .expired }
        self.init(
            esID: record.esID, sealName: history.sealName, sealType: record.sealType, owner: record.ownerOrganisation,
            ownerCreditCode: record.ownerCreditCode, state: state, validFrom: record.validFrom, validTo: record.validTo,
            stateChangedAt: history.stateChangedAt,
            stateChanges: history.changes.map { change in
                StateChange(
                    state: State(rawValue: change.state.rawValue) ?? .active, at: change.at)
            },
            issuer: issuer, sealSHA256: StatusJSON.hex(history.sealSHA256))
    }

    /// The registry state the seal was in at `time` (the last change at or before it), or nil before registration.
    public func registryState(at time: Date) -> State? {
        stateChanges.last(where: { $0.at <= time })?.state
    }

    /// The exact bytes served and signed.
    public func encoded() throws -> [UInt8] { try StatusJSON.encode(self) }

    /// Decodes a served body.
    public static func decode(_ bytes: [UInt8]) throws -> SealStatusDocument { try StatusJSON.decode(Self.self, bytes) }
}
