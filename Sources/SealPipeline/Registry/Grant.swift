public import Foundation

/// Permission for one client principal to use one seal through some pipelines within a time window.
public struct Grant: Sendable, Hashable, Codable {
    public var id: Int64?
    /// The seal's registry name.
    public var seal: String
    /// The client principal (back-office system or operator) the jobs are enqueued for.
    public var principal: String
    /// Pipelines this grant covers; empty means every pipeline.
    public var pipelines: [String]
    public var validFrom: Date
    public var validTo: Date
    /// When the grant was revoked; a revoked grant authorises nothing after that moment.
    public var revokedAt: Date?

    public init(
        id: Int64? = nil, seal: String, principal: String, pipelines: [String], validFrom: Date, validTo: Date,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.seal = seal
        self.principal = principal
        self.pipelines = pipelines
        self.validFrom = validFrom
        self.validTo = validTo
        self.revokedAt = revokedAt
    }

    /// Whether this grant lets `principal` use the seal through `pipeline` at `time`.
    public func authorises(principal: String, pipeline: String, at time: Date) -> Bool {
        guard principal == self.principal else { return false }
        guard pipelines.isEmpty || pipelines.contains(pipeline) else { return false }
        guard time >= validFrom && time <= validTo else { return false }
        if let revokedAt, time >= revokedAt { return false }
        return true
    }
}
