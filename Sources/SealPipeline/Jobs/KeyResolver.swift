public import Foundation
public import SealCrypto
import SealPKCS11
import SealRemoteSigner

/// Turns a seal's ``KeyReference`` into a ``Signer``: a PEM/DER key file with its certificate file, a PKCS#12
/// bundle, a key in a PKCS#11 token or a key held by a signing service (`sealpress+https`). Passwords come from the environment variable the reference names and
/// PINs from the token's `pin-source`, never from the database.
public enum KeyResolver {
    /// Loads the key and certificate the reference points at.
    ///
    /// - Throws: ``KeyResolutionError`` naming what is missing or wrong (never the key or password).
    public static func signer(
        for reference: KeyReference, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KeyResolutionError) -> any Signer {
        if reference.kind == .pkcs11 { return try tokenSigner(for: reference, environment: environment) }
        if reference.kind == .remote { return try remoteSigner(for: reference, environment: environment) }
        var password: String?
        if let variable = reference.passwordEnvironment {
            guard let value = environment[variable] else {
                throw KeyResolutionError("the key's password variable \(variable) is not set")
            }
            password = value
        }
        let keyBytes = try read(reference.path, what: "key file")
        switch reference.kind {
        case .pkcs12:
            do {
                return try PKCS12Bundle(der: keyBytes, password: password ?? "").signer()
            } catch {
                throw KeyResolutionError("the PKCS#12 file \(reference.path) cannot be opened: \(error.code)")
            }
        case .pkcs11:
            return try tokenSigner(for: reference, environment: environment)
        case .remote:
            preconditionFailure("handled above")
        case .file:
            let key: PrivateKey
            do {
                if let text = String(bytes: keyBytes, encoding: .utf8), text.contains("-----BEGIN") {
                    key = try PrivateKey(pem: text, password: password)
                } else {
                    key = try PrivateKey(der: keyBytes)
                }
            } catch {
                throw KeyResolutionError("the key file \(reference.path) cannot be loaded: \(error.code)")
            }
            guard let certificatePath = reference.certificatePath else {
                throw KeyResolutionError("a file key reference needs cert=PATH")
            }
            let certificateBytes = try read(certificatePath, what: "certificate file")
            let certificates: [Certificate]
            do {
                if let text = String(bytes: certificateBytes, encoding: .utf8), text.contains("-----BEGIN") {
                    certificates = try Certificate.certificates(pem: text)
                } else {
                    certificates = [try Certificate(der: certificateBytes)]
                }
            } catch {
                throw KeyResolutionError("the certificate file \(certificatePath) cannot be read: \(error.code)")
            }
            guard let leaf = certificates.first(where: { $0.publicKey == key.publicKey }) else {
                throw KeyResolutionError(
                    "no certificate in \(certificatePath) belongs to the key \(reference.path)", code: .keyNotInCertificate)
            }
            do {
                return try SoftwareSigner(key: key, certificate: leaf, chain: certificates.filter { $0 != leaf })
            } catch {
                throw KeyResolutionError("the key \(reference.path) cannot sign: \(error.code)")
            }
        }
    }

    /// The process's signer for a `pkcs11:` reference (module, token session pool and login shared per process).
    private static func tokenSigner(
        for reference: KeyReference, environment: [String: String]
    ) throws(KeyResolutionError) -> any Signer {
        let uri: PKCS11URI
        do {
            uri = try PKCS11URI(reference.path)
        } catch {
            throw KeyResolutionError("the PKCS#11 reference is not usable: \(error.reason)", code: .refused)
        }
        do {
            return try PKCS11Keys.signer(for: uri, environment: environment)
        } catch {
            let code: KeyResolutionError.Code =
                switch error.code {
                case .keyNotInCertificate: .keyNotInCertificate
                case .tokenUnavailable, .tokenNotFound, .pinUnavailable, .moduleNotLoadable, .objectNotFound,
                    .certificateUnavailable:
                    .unavailable
                default: .refused
                }
            throw KeyResolutionError(error.reason, code: code)
        }
    }

    /// Connects to the signing service and reads the key's certificate from it (the key never leaves it).
    private static func remoteSigner(
        for reference: KeyReference, environment: [String: String]
    ) throws(KeyResolutionError) -> RemoteSigner {
        do {
            return try RemoteSigner(reference: reference.description, environment: environment)
        } catch {
            throw KeyResolutionError("the signing service key \(reference.description) cannot be used: \(error.reason)")
        }
    }

    private static func read(_ path: String, what: String) throws(KeyResolutionError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyResolutionError("the \(what) \(path) cannot be read")
        }
        return Array(data)
    }
}

/// A key reference that does not lead to a usable signer. Equality is on ``code``.
public struct KeyResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case unavailable, keyNotInCertificate, refused }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The key, its certificate or its password cannot be had here now (a stamp job retries).
        public static let unavailable = Code(.unavailable)
        /// The key belongs to none of the certificates given with it (a stamp job is discarded).
        public static let keyNotInCertificate = Code(.keyNotInCertificate)
        /// The key's device refused it for good until a person acts (wrong or locked PIN, unusable reference,
        /// no mechanism for the scheme): a stamp job is discarded, never retried (wrong PINs lock tokens).
        public static let refused = Code(.refused)
    }

    public var code: Code
    public var reason: String
    public init(_ reason: String, code: Code = .unavailable) {
        self.code = code
        self.reason = reason
    }
    public var description: String { reason }

    public static func == (lhs: KeyResolutionError, rhs: KeyResolutionError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(code) }
}
