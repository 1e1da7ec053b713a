/// The top-level outcome of a validation, as ETSI EN 319 102-1 §5.1.3 names them.
///
/// `passed` maps to TOTAL-PASSED, `failed` to TOTAL-FAILED and `indeterminate` to INDETERMINATE.
/// The order of the cases is the order of severity: combining outcomes keeps the worst one.
public enum Indication: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case passed
    case indeterminate
    case failed

    /// Exit status that `sealpress verify` uses for this outcome: 0, 2 and 1.
    public var exitCode: Int32 {
        switch self {
        case .passed: 0
        case .failed: 1
        case .indeterminate: 2
        }
    }

    private var severity: Int {
        switch self {
        case .passed: 0
        case .indeterminate: 1
        case .failed: 2
        }
    }

    public static func < (lhs: Indication, rhs: Indication) -> Bool { lhs.severity < rhs.severity }

    /// The worst of several outcomes (`passed` for none).
    public static func worst<S: Sequence>(_ indications: S) -> Indication where S.Element == Indication {
        indications.max() ?? .passed
    }
}

/// ETSI EN 319 102-1 §5.1.3 sub-indications, kept open so that new ones do not break callers.
public struct SubIndication: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }

    // MARK: - TOTAL-FAILED
    /// The signed data or its digest does not match: the document was changed after signing.
    public static let hashFailure = SubIndication(rawValue: "HASH_FAILURE")
    /// The cryptographic signature does not verify with the signer's public key.
    public static let sigCryptoFailure = SubIndication(rawValue: "SIG_CRYPTO_FAILURE")
    /// The signing certificate was revoked before the signing time.
    public static let revoked = SubIndication(rawValue: "REVOKED")
    /// The signature or document structure is not well formed (also: an illegal later modification).
    public static let formatFailure = SubIndication(rawValue: "FORMAT_FAILURE")
    /// A constraint of the signature policy failed (e.g. a seal used outside its validity).
    public static let sigConstraintsFailure = SubIndication(rawValue: "SIG_CONSTRAINTS_FAILURE")

    // MARK: - INDETERMINATE
    /// No chain from the signer to a trust anchor could be built.
    public static let noCertificateChainFound = SubIndication(rawValue: "NO_CERTIFICATE_CHAIN_FOUND")
    /// The signing certificate could not be identified.
    public static let noSigningCertificateFound = SubIndication(rawValue: "NO_SIGNING_CERTIFICATE_FOUND")
    /// A certificate is outside its validity period and no proof of existence covers the signing time.
    public static let outOfBoundsNoPOE = SubIndication(rawValue: "OUT_OF_BOUNDS_NO_POE")
    /// No proof of existence before a revocation or suspension (e.g. no signing time to compare it with).
    public static let noPOE = SubIndication(rawValue: "NO_POE")
    /// The signing certificate was revoked after the claimed signing time, but nothing proves the signature
    /// existed before the revocation (no trusted timestamp).
    public static let revokedNoPOE = SubIndication(rawValue: "REVOKED_NO_POE")
    /// Revocation status could not be determined.
    public static let tryLater = SubIndication(rawValue: "TRY_LATER")
    /// The chain was built but a constraint on it failed.
    public static let chainConstraintsFailure = SubIndication(rawValue: "CHAIN_CONSTRAINTS_FAILURE")
    /// The chain could not be validated for another reason.
    public static let certificateChainGeneralFailure = SubIndication(rawValue: "CERTIFICATE_CHAIN_GENERAL_FAILURE")
    /// An algorithm or key size is below what the policy accepts.
    public static let cryptoConstraintsFailure = SubIndication(rawValue: "CRYPTO_CONSTRAINTS_FAILURE")
    /// The data the signature covers could not be found (also used for an unsigned document).
    public static let signedDataNotFound = SubIndication(rawValue: "SIGNED_DATA_NOT_FOUND")
}
