import Foundation
import SealCrypto
import SealPipeline
import SealPKCS11
import SealRemoteSigner

/// The one place that tells a key *reference* from a key *file* on the command line.
///
/// `stamp --key` (PDF and OFD), `seal make --maker-key` take a file or a reference: an RFC 7512 `pkcs11:` URI (a
/// token key; the PIN comes from the URI's `pin-source`, never from the command line) or
/// `sealpress+https://HOST:PORT/keys/NAME` (a key in a signing service; client TLS files from the reference or
/// SEALPRESS_REMOTE_* variables). `seal register --key-ref` and `bench stamp --key-ref` take only references
/// (also `file:` and `pkcs12:`), read by ``reference(_:flag:)`` and resolved by ``resolve(_:flag:)``.
///
/// Every reference is resolved before any document is read for signing: the token found and logged in and a
/// challenge signed and verified with the certificate, or the service reached and its key's certificate read.
enum KeyInput {
    /// True when `text` names a key by reference (`pkcs11:` or `sealpress+https://`) rather than by a file path.
    static func isReference(_ text: String?) -> Bool { isToken(text) || isRemote(text) }

    static func isToken(_ text: String?) -> Bool { text?.hasPrefix("pkcs11:") ?? false }
    static func isRemote(_ text: String?) -> Bool { text?.hasPrefix(RemoteKeyLocation.scheme + "://") ?? false }

    /// The signer for a `--key` / `--maker-key` reference (see ``isReference(_:)``).
    ///
    /// - Parameters:
    ///   - certificate: a `--cert` file: for a token key it is used when the URI has no `cert-path=`; for a service
    ///     key it must hold the service key's public key.
    ///   - chain: `--chain` certificates added to what a token gives.
    ///   - flag: the option's name for messages (`--key`, `--maker-key`).
    static func signer(_ text: String, certificate: String?, chain: [Certificate] = [], flag: String) throws -> any Signer {
        if isRemote(text) { return try remoteSigner(text, certificatePath: certificate, flag: flag) }
        var reference = text
        if let certificate, !text.contains("cert-path=") {
            reference += (text.contains("?") ? "&" : "?") + "cert-path=" + percentEncoded(certificate)
        }
        if let problem = KeyReference.pkcs11Problem(reference) { throw CouldNotRun("\(flag): \(problem)") }
        guard let parsed = KeyReference(reference) else { throw CouldNotRun("\(flag) is not a pkcs11: reference") }
        let signer = try resolve(parsed, flag: flag)
        return chain.isEmpty ? signer : ChainedSigner(base: signer, extra: chain)
    }

    /// A `--key-ref` value: any kind of reference the registry keeps (`file:`, `pkcs12:`, `pkcs11:`,
    /// `sealpress+https:`), or nil with the reason it is not one.
    static func reference(_ text: String, flag: String) -> Result<KeyReference, KeyInputProblem> {
        if let problem = KeyReference.pkcs11Problem(text) { return .failure(KeyInputProblem("\(flag): \(problem)")) }
        guard let reference = KeyReference(text) else {
            return .failure(KeyInputProblem(
                "\(flag) must look like file:/k.pem?cert=/c.pem, pkcs12:/x.p12?password-env=VAR, "
                    + "pkcs11:token=T;object=K?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/secrets/pin "
                    + "or sealpress+https://HOST:PORT/keys/NAME"))
        }
        return .success(reference)
    }

    /// The signer a worker would get for `reference` (a token key: one pooled session, logged in once).
    static func resolve(_ reference: KeyReference, flag: String) throws -> any Signer {
        do {
            return try KeyResolver.signer(for: reference)
        } catch {
            throw CouldNotRun("\(flag) does not resolve: \(error.reason)")
        }
    }

    /// Connects to the service and reads the key's certificate; when `certificatePath` is given, its certificate
    /// must hold the service key's public key.
    private static func remoteSigner(_ key: String, certificatePath: String?, flag: String) throws -> any Signer {
        let signer: RemoteSigner
        do {
            signer = try RemoteSigner(reference: key)
        } catch {
            throw CouldNotRun("the \(flag) \(key) cannot be used: \(error.reason)")
        }
        if let certificatePath {
            let given = try SealCommandInput.certificates(certificatePath, what: "certificate")
            guard let first = given.first, first.publicKey == signer.publicKey else {
                throw CouldNotRun("the certificate \(certificatePath) does not hold the public key of the service's key \(key)")
            }
        }
        return signer
    }

    /// RFC 3986 unreserved characters and `/` as they are, everything else as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80, CharacterSet.alphanumerics.contains(scalar) || "-._~/".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

/// Why a `--key-ref` value is not a key reference (callers throw it as their usage or run error).
struct KeyInputProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// A signer with extra chain certificates (`--chain`) added to its own.
private struct ChainedSigner: Signer {
    let base: any Signer
    let extra: [Certificate]
    var algorithm: SignatureAlgorithm { base.algorithm }
    var certificate: Certificate? { base.certificate }
    var certificateChain: [Certificate] { base.certificateChain + extra.filter { !base.certificateChain.contains($0) } }
    var publicKey: PublicKey? { base.publicKey }
    func sign(_ message: [UInt8]) throws -> [UInt8] { try base.sign(message) }
}
