import Foundation
public import SealCrypto
import SealPipeline
import SealRemoteSigner

/// The keys a signing service holds, loaded once at start through ``SealPipeline/KeyResolver`` (the same reference
/// kinds as the registry: files, PKCS#12, and whatever kinds the resolver learns), each with its public description.
public struct KeyRing: Sendable {
    struct Entry: Sendable {
        var signer: any DigestSigner
        var description: RemoteKeyDescription
    }

    let entries: [String: Entry]

    /// Loads every key of the configuration.
    ///
    /// - Throws: ``KeyServiceError/Code/key`` naming the key that cannot be loaded (never its password or material).
    public init(configuration: KeyServiceConfiguration, environment: [String: String]) throws(KeyServiceError) {
        var entries: [String: Entry] = [:]
        for (name, text) in configuration.keys.sorted(by: { $0.key < $1.key }) {
            guard let reference = KeyReference(text) else {
                throw KeyServiceError(.key, "key \(name): \(text) is not a key reference (file:…?cert=… or pkcs12:…)")
            }
            guard reference.kind != .remote else {
                throw KeyServiceError(.key, "key \(name): a signing service does not forward to another service")
            }
            let resolved = try Self.resolve(reference, name: name, environment: environment)
            guard let signer = resolved as? any DigestSigner else {
                throw KeyServiceError(.key, "key \(name): this kind of key cannot sign digests")
            }
            guard let publicKey = signer.publicKey ?? signer.certificate?.publicKey,
                let scheme = RemoteSigningScheme(signer.algorithm)
            else {
                throw KeyServiceError(.key, "key \(name): neither the key nor a certificate tells its public key")
            }
            let certificates = ([signer.certificate].compactMap { $0 }) + signer.certificateChain
            entries[name] = Entry(
                signer: signer,
                description: RemoteKeyDescription(
                    name: name, keyType: RemoteKeyDescription.keyType(publicKey.algorithm), algorithm: scheme.algorithm,
                    scheme: scheme.scheme, publicKey: Data(publicKey.spkiDER).base64EncodedString(),
                    certificates: certificates.map { Data($0.der).base64EncodedString() },
                    certificatesPEM: certificates.map(\.pemRepresentation).joined()))
        }
        self.entries = entries
    }

    private static func resolve(
        _ reference: KeyReference, name: String, environment: [String: String]
    ) throws(KeyServiceError) -> any Signer {
        do {
            return try KeyResolver.signer(for: reference, environment: environment)
        } catch {
            throw KeyServiceError(.key, "key \(name): \(error.reason)")
        }
    }

    /// Key names, sorted.
    public var names: [String] { entries.keys.sorted() }
}
