/// One step of a verification: what was checked, how it came out and why.
///
/// Producers decide the consequence of a check: a broken digest is `failed` with ``SubIndication/hashFailure``,
/// an untrusted chain is `indeterminate` with ``SubIndication/noCertificateChainFound``.
public struct Check: Codable, Sendable, Hashable {
    /// Whether the check is about the bytes being intact or about who signed and whether we can trust it.
    public enum Category: String, Codable, Sendable, Hashable {
        /// Digests, signature values, byte ranges, later modifications, structure.
        case integrity
        /// Certificates, chains, validity periods, seal state, timestamps.
        case trust
    }

    /// How a single check came out.
    public enum Status: String, Codable, Sendable, Hashable {
        case passed
        case failed
        case indeterminate
        /// Not applicable or not requested (e.g. no timestamp present); does not affect the verdict.
        case skipped
        /// Noted for the reader; does not affect the verdict.
        case warning
    }

    /// Stable machine name, e.g. `digest`, `signature`, `certificateChain`, `sealMakerSignature`.
    public var name: String
    public var category: Category
    public var status: Status
    public var subIndication: SubIndication?
    /// A sentence a person can act on. Never contains document content or key material.
    public var reason: String?

    public init(
        _ name: String, category: Category, status: Status, subIndication: SubIndication? = nil,
        reason: String? = nil
    ) {
        self.name = name
        self.category = category
        self.status = status
        self.subIndication = subIndication
        self.reason = reason
    }

    public static func passed(_ name: String, _ category: Category, _ reason: String? = nil) -> Check {
        Check(name, category: category, status: .passed, reason: reason)
    }

    public static func failed(
        _ name: String, _ category: Category, _ subIndication: SubIndication, _ reason: String
    ) -> Check {
        Check(name, category: category, status: .failed, subIndication: subIndication, reason: reason)
    }

    public static func indeterminate(
        _ name: String, _ category: Category, _ subIndication: SubIndication, _ reason: String
    ) -> Check {
        Check(name, category: category, status: .indeterminate, subIndication: subIndication, reason: reason)
    }

    public static func skipped(_ name: String, _ category: Category, _ reason: String) -> Check {
        Check(name, category: category, status: .skipped, reason: reason)
    }

    public static func warning(_ name: String, _ category: Category, _ reason: String) -> Check {
        Check(name, category: category, status: .warning, reason: reason)
    }

    /// What this check contributes to a verdict.
    public var indication: Indication {
        switch status {
        case .failed: .failed
        case .indeterminate: .indeterminate
        case .passed, .skipped, .warning: .passed
        }
    }
}

/// The outcome of a list of checks: the worst indication, the sub-indication of the first check that caused it,
/// and the reasons of every check that did not pass.
public struct Verdict: Codable, Sendable, Hashable {
    public var indication: Indication
    public var subIndication: SubIndication?
    public var reasons: [String]

    public init(indication: Indication, subIndication: SubIndication? = nil, reasons: [String] = []) {
        self.indication = indication
        self.subIndication = subIndication
        self.reasons = reasons
    }

    /// Combines checks: the worst indication wins; its first check supplies the sub-indication.
    public init(checks: [Check]) {
        let worst = Indication.worst(checks.map(\.indication))
        self.indication = worst
        self.subIndication = worst == .passed ? nil : checks.first { $0.indication == worst }?.subIndication
        self.reasons = checks.filter { $0.indication != .passed }.compactMap { check in
            check.reason.map { "\(check.name): \($0)" } ?? check.name
        }
    }
}
