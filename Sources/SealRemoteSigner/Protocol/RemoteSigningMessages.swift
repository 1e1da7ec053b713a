public import SealCrypto

/// `GET /keys/NAME` → 200: what the service says about a key it holds (never the key itself).
public struct RemoteKeyDescription: Sendable, Codable, Hashable {
    /// The key's name in the service's configuration.
    public var name: String
    /// `rsa`, `ec-p256`, `ec-p384`, `ec-p521` or `sm2`.
    public var keyType: String
    /// The digest algorithm of the key's default scheme (`sha256`, …, `sm3`).
    public var algorithm: String
    /// The key's default scheme (`rsa-pkcs1-v1_5`, `ecdsa`, `sm2`).
    public var scheme: String
    /// The DER SubjectPublicKeyInfo of the key, base64.
    public var publicKey: String
    /// The key's certificate and its chain as DER, base64, leaf first (may be empty when the service has none).
    public var certificates: [String]
    /// The same certificates as one PEM text.
    public var certificatesPEM: String

    public init(
        name: String, keyType: String, algorithm: String, scheme: String, publicKey: String, certificates: [String],
        certificatesPEM: String
    ) {
        self.name = name
        self.keyType = keyType
        self.algorithm = algorithm
        self.scheme = scheme
        self.publicKey = publicKey
        self.certificates = certificates
        self.certificatesPEM = certificatesPEM
    }

    /// The wire name of a key type.
    public static func keyType(_ algorithm: KeyAlgorithm) -> String {
        switch algorithm {
        case .rsa: "rsa"
        case .ecdsaP256: "ec-p256"
        case .ecdsaP384: "ec-p384"
        case .ecdsaP521: "ec-p521"
        case .sm2: "sm2"
        case .other(let name): name.lowercased()
        }
    }
}

/// `POST /keys/NAME/sign` request body.
public struct RemoteSignRequest: Sendable, Codable, Hashable {
    /// The digest to sign, base64 (standard alphabet, padded). For SM2 it is `e = SM3(Z ‖ M)`.
    public var digest: String
    /// The digest algorithm (`sha256`, `sha384`, `sha512`, `sm3`).
    public var algorithm: String
    /// The scheme (`rsa-pkcs1-v1_5`, `rsa-pss`, `ecdsa`, `sm2`).
    public var scheme: String

    public init(digest: String, algorithm: String, scheme: String) {
        self.digest = digest
        self.algorithm = algorithm
        self.scheme = scheme
    }
}

/// `POST /keys/NAME/sign` → 200 body.
public struct RemoteSignResponse: Sendable, Codable, Hashable {
    /// The signature, base64: RSA the modulus-length octet string, ECDSA/SM2 DER `SEQUENCE { r, s }`.
    public var signature: String

    public init(signature: String) { self.signature = signature }
}

/// Every non-200 answer: `{"error": {"code": "...", "message": "..."}}`.
public struct RemoteErrorResponse: Sendable, Codable, Hashable {
    public struct Body: Sendable, Codable, Hashable {
        /// A stable code: `badRequest`, `unknownKey`, `forbidden`, `unsupportedScheme`, `signingFailed`, `notFound`.
        public var code: String
        /// A short human-readable reason (never key material).
        public var message: String
    }
    public var error: Body

    public init(code: String, message: String) { self.error = Body(code: code, message: message) }
}
