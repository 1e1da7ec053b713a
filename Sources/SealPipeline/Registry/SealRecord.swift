public import Foundation
public import SealPKCS11

/// A seal as the registry knows it: the `.esl` bytes and where its signing key lives — never the key itself.
public struct SealRecord: Sendable, Hashable, Codable {
    /// Lifecycle state. Active ⇄ Suspended (停用/启用) → Cancelled (注销) or Revoked (吊销: the seal or its key is
    /// compromised); expiry is derived from the validity. Revoked is final; a cancelled seal may still be revoked.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case active
        case suspended
        case cancelled
        case revoked
    }

    /// Registry name pipelines refer to (e.g. `bureau-official`).
    public var name: String
    /// The seal's esID (from the SESeal header).
    public var esID: String
    /// Owner organisation and its unified social credit code (统一社会信用代码).
    public var ownerOrganisation: String
    public var ownerCreditCode: String?
    /// Seal type (e.g. 法定名称章, 财务专用章, 合同专用章…) as recorded.
    public var sealType: String
    public var validFrom: Date
    public var validTo: Date
    public var state: State
    /// Where the signing key is: a file, PKCS#12 or PKCS#11-token reference, resolved by the worker at signing time.
    public var keyReference: KeyReference

    public init(
        name: String, esID: String, ownerOrganisation: String, ownerCreditCode: String?, sealType: String,
        validFrom: Date, validTo: Date, state: State, keyReference: KeyReference
    ) {
        self.name = name
        self.esID = esID
        self.ownerOrganisation = ownerOrganisation
        self.ownerCreditCode = ownerCreditCode
        self.sealType = sealType
        self.validFrom = validFrom
        self.validTo = validTo
        self.state = state
        self.keyReference = keyReference
    }
}

/// A reference to a signing key outside the database.
///
/// The string form (`file:/path/key.pem?cert=/path/cert.pem`, `pkcs12:/path/seal.p12`, an RFC 7512
/// `pkcs11:token=…;object=…?module-path=…&pin-source=file:…` URI) is what the registry stores.
/// Passwords and PINs are never stored: they come from the environment variable the reference names
/// (`password-env=`) or, for a token, from its `pin-source` (a file or variable); a `pin-value` is refused.
public struct KeyReference: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A PEM or encrypted PKCS#8 private key file, with the certificate in a separate file.
        case file
        /// A PKCS#12 bundle holding key and certificate.
        case pkcs12
        /// A key in a PKCS#11 token (RFC 7512 URI); ``path`` holds the whole URI.
        case pkcs11
        /// A key held by a SealPress signing service (`sealpress+https://HOST:PORT/keys/NAME[?…]`, see
        /// Docs/remote-signing.md); `path` keeps everything after the colon, query included.
        case remote = "sealpress+https"
    }

    public var kind: Kind
    /// The key file (file, pkcs12) or the whole `pkcs11:` URI (pkcs11).
    public var path: String
    public var certificatePath: String?
    /// Name of the environment variable holding the key's password, if encrypted.
    public var passwordEnvironment: String?

    public init(kind: Kind, path: String, certificatePath: String? = nil, passwordEnvironment: String? = nil) {
        self.kind = kind
        self.path = path
        self.certificatePath = certificatePath
        self.passwordEnvironment = passwordEnvironment
    }

    /// Parses `file:PATH[?cert=PATH][&password-env=NAME]`, `pkcs12:PATH[?password-env=NAME]` or a `pkcs11:` URI
    /// (see ``PKCS11URI``; ``pkcs11Problem(_:)`` says what is wrong with one that does not parse).
    public init?(_ text: String) {
        if text.hasPrefix("pkcs11:") {
            guard (try? PKCS11URI(text)) != nil else { return nil }
            self.kind = .pkcs11
            self.path = text
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        guard let kind = Kind(rawValue: String(text[..<colon])) else { return nil }
        let rest = text[text.index(after: colon)...]
        if kind == .remote {
            // Parsed in full (host, port, key name, client-cert/client-key/ca) by RemoteKeyLocation when resolved.
            guard rest.hasPrefix("//"), rest.count > 2 else { return nil }
            self.kind = kind
            self.path = String(rest)
            return
        }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let path = parts.first, !path.isEmpty else { return nil }
        self.kind = kind
        self.path = String(path)
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { return nil }
                switch kv[0] {
                case "cert": self.certificatePath = String(kv[1])
                case "password-env": self.passwordEnvironment = String(kv[1])
                default: return nil
                }
            }
        }
        if kind == .file && certificatePath == nil { return nil }
        if kind == .pkcs11 { return nil }  // handled above: a pkcs11 reference is a URI, not PATH?query
    }

    /// The parsed URI of a ``Kind/pkcs11`` reference.
    public var pkcs11URI: PKCS11URI? { kind == .pkcs11 ? try? PKCS11URI(path) : nil }

    /// Why `text` is not a usable `pkcs11:` reference, or nil when it is one (or is no pkcs11 text at all).
    public static func pkcs11Problem(_ text: String) -> String? {
        guard text.hasPrefix("pkcs11:") else { return nil }
        do {
            _ = try PKCS11URI(text)
            return nil
        } catch {
            return error.reason
        }
    }

    public var description: String {
        if kind == .pkcs11 { return path }
        if kind == .remote { return "\(kind.rawValue):\(path)" }
        var query: [String] = []
        if let certificatePath { query.append("cert=\(certificatePath)") }
        if let passwordEnvironment { query.append("password-env=\(passwordEnvironment)") }
        return "\(kind.rawValue):\(path)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}
