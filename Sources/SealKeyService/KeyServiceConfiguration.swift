public import Foundation

/// The `--keys` file of `sealpress keys serve` (JSON): the keys the service holds and which client certificates
/// may use which of them.
///
/// ```json
/// {
///   "keys": {
///     "contract-rsa": "file:/srv/keys/rsa.key.pem?cert=/srv/keys/rsa.cert.pem",
///     "seal-sm2": "pkcs12:/srv/keys/sm2.p12?password-env=SM2_P12_PASSWORD"
///   },
///   "clients": [
///     {"subject-cn": "worker-01", "keys": ["contract-rsa", "seal-sm2"]},
///     {"certificate-sha256": "3f5a…", "keys": ["*"]}
///   ]
/// }
/// ```
/// Key values are the same references `seal register --key-ref` takes (never a remote one).
public struct KeyServiceConfiguration: Sendable, Hashable, Decodable {
    /// One grant: a client certificate, by subject CN or by the SHA-256 of its DER, and the key names it may use.
    public struct Grant: Sendable, Hashable, Decodable {
        public var subjectCN: String?
        /// Lower-case hex, colons and spaces ignored.
        public var certificateSHA256: String?
        /// Key names, or `*` for every key.
        public var keys: [String]

        enum CodingKeys: String, CodingKey {
            case subjectCN = "subject-cn"
            case certificateSHA256 = "certificate-sha256"
            case keys
        }

        public init(subjectCN: String? = nil, certificateSHA256: String? = nil, keys: [String]) {
            self.subjectCN = subjectCN
            self.certificateSHA256 = certificateSHA256.map(Self.normalizedHex)
            self.keys = keys
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                subjectCN: try container.decodeIfPresent(String.self, forKey: .subjectCN),
                certificateSHA256: try container.decodeIfPresent(String.self, forKey: .certificateSHA256),
                keys: try container.decode([String].self, forKey: .keys))
        }

        static func normalizedHex(_ text: String) -> String {
            text.lowercased().filter { $0.isHexDigit }
        }

        /// True when this grant names `client`.
        func matches(_ client: ClientIdentity) -> Bool {
            if let certificateSHA256, certificateSHA256 == client.certificateSHA256 { return true }
            if let subjectCN, subjectCN == client.commonName { return true }
            return false
        }
    }

    /// Key name → key reference.
    public var keys: [String: String]
    public var clients: [Grant]

    public init(keys: [String: String], clients: [Grant]) {
        self.keys = keys
        self.clients = clients
    }

    /// Reads and checks the file.
    ///
    /// - Throws: ``KeyServiceError`` with ``KeyServiceError/Code/configuration`` naming what is wrong.
    public static func load(path: String) throws(KeyServiceError) -> KeyServiceConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyServiceError(.configuration, "the keys file \(path) cannot be read")
        }
        let configuration: KeyServiceConfiguration
        do {
            configuration = try JSONDecoder().decode(KeyServiceConfiguration.self, from: data)
        } catch {
            throw KeyServiceError(
                .configuration, "the keys file \(path) is not valid: it must be JSON {\"keys\": {NAME: REFERENCE}, \"clients\": [...]}")
        }
        try configuration.check()
        return configuration
    }

    func check() throws(KeyServiceError) {
        for (index, grant) in clients.enumerated() {
            guard grant.subjectCN != nil || grant.certificateSHA256 != nil else {
                throw KeyServiceError(.configuration, "client \(index + 1) names neither subject-cn nor certificate-sha256")
            }
            if let hash = grant.certificateSHA256, hash.count != 64 {
                throw KeyServiceError(.configuration, "client \(index + 1): certificate-sha256 must be 64 hex digits")
            }
            for name in grant.keys where name != "*" && keys[name] == nil {
                throw KeyServiceError(.configuration, "client \(index + 1) is granted key \(name), which the keys file does not define")
            }
        }
    }

    /// True when `client` may use key `name`.
    public func allows(_ client: ClientIdentity, key name: String) -> Bool {
        clients.contains { $0.matches(client) && ($0.keys.contains(name) || $0.keys.contains("*")) }
    }
}

/// Who is asking: the verified TLS client certificate's subject CN and DER SHA-256.
public struct ClientIdentity: Sendable, Hashable, CustomStringConvertible {
    public var commonName: String?
    /// Lower-case hex.
    public var certificateSHA256: String

    public init(commonName: String?, certificateSHA256: String) {
        self.commonName = commonName
        self.certificateSHA256 = certificateSHA256
    }

    public var description: String { "CN=\(commonName ?? "-") sha256=\(certificateSHA256)" }
}
