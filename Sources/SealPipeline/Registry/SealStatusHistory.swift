public import Foundation

/// A seal's published lifecycle: what the status service signs (``SealRegistry/statusHistory(esID:on:)``).
public struct SealStatusHistory: Sendable, Hashable {
    /// One state the seal entered, and when (registration counts as entering `active`).
    public struct Change: Sendable, Hashable {
        public var state: SealRecord.State
        public var at: Date

        public init(state: SealRecord.State, at: Date) {
            self.state = state
            self.at = at
        }
    }

    public var record: SealRecord
    /// The name inside the SESeal (印章名称).
    public var sealName: String
    /// SHA-256 of the registered SESeal DER.
    public var sealSHA256: [UInt8]
    public var registeredAt: Date
    /// When the state last changed (the registration time for a seal never changed).
    public var stateChangedAt: Date
    /// Every state change, oldest first.
    public var changes: [Change]

    public init(
        record: SealRecord, sealName: String, sealSHA256: [UInt8], registeredAt: Date, stateChangedAt: Date,
        changes: [Change]
    ) {
        self.record = record
        self.sealName = sealName
        self.sealSHA256 = sealSHA256
        self.registeredAt = registeredAt
        self.stateChangedAt = stateChangedAt
        self.changes = changes
    }
}
