/// A PKCS#11 key that cannot be used: the URI, the module, the token, the PIN or the device said no.
///
/// Equality is on ``code``. `description` never holds a PIN (PINs are never put into any error) and names the
/// module's return value where there is one (`CKR_DEVICE_REMOVED`). ``isRetryable`` says whether the same
/// request may work later (a token re-inserted, a session re-opened) — a job that fails so is retried.
public struct PKCS11Error: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidURI, moduleNotLoadable, pinUnavailable, pinRefused, tokenNotFound, objectNotFound
            case ambiguousObject, certificateUnavailable, unsupportedAlgorithm, keyNotInCertificate
            case tokenUnavailable, signingFailed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The `pkcs11:` URI is malformed, names an unknown attribute, or carries a PIN (`pin-value`).
        public static let invalidURI = Code(.invalidURI)
        /// The module at `module-path` cannot be loaded or is not a PKCS#11 module.
        public static let moduleNotLoadable = Code(.moduleNotLoadable)
        /// The PIN file or variable named by `pin-source` cannot be read.
        public static let pinUnavailable = Code(.pinUnavailable)
        /// The token refused the PIN, or the PIN is locked: never retried (repeated wrong PINs lock a token).
        public static let pinRefused = Code(.pinRefused)
        /// No token with that label/serial is present.
        public static let tokenNotFound = Code(.tokenNotFound)
        /// No private key with that label/id is on the token.
        public static let objectNotFound = Code(.objectNotFound)
        /// More than one private key matches: the URI must say `object=` and/or `id=` more precisely.
        public static let ambiguousObject = Code(.ambiguousObject)
        /// No certificate on the token for the key, and none given with `cert-path=`.
        public static let certificateUnavailable = Code(.certificateUnavailable)
        /// The key type or signature scheme has no mechanism here.
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)
        /// The token's key did not make a signature the certificate verifies.
        public static let keyNotInCertificate = Code(.keyNotInCertificate)
        /// The session or token went away (device removed, session closed, module error): retry.
        public static let tokenUnavailable = Code(.tokenUnavailable)
        /// The token refused this signing request.
        public static let signingFailed = Code(.signingFailed)
    }

    public var code: Code
    public var reason: String
    /// The module's return value (CK_RV), when the module gave one.
    public var returnValue: UInt?

    public init(_ code: Code, _ reason: String, returnValue: UInt? = nil) {
        self.code = code
        self.reason = reason
        self.returnValue = returnValue
    }

    /// True when the same request may succeed later without anything being changed by a person.
    public var isRetryable: Bool { code == .tokenUnavailable || code == .tokenNotFound }

    public var description: String { "PKCS11Error.\(code): \(reason)" }

    public static func == (lhs: PKCS11Error, rhs: PKCS11Error) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(code) }
}
