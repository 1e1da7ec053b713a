import Foundation
import SealCrypto
import SealPipeline
import SealPKCS11

/// Keys given as references instead of files: `--key`, `--maker-key` and `--key-ref` accept an RFC 7512
/// `pkcs11:` URI wherever they accept a key file. The PIN comes from the URI's `pin-source` (a file or variable),
/// never from the command line.
enum TokenKeyInput {
    /// True when `text` names a key by reference rather than by a file path.
    static func isReference(_ text: String) -> Bool { text.hasPrefix("pkcs11:") }

    /// The signer for a `pkcs11:` reference; `certificate` (a `--cert` file) is used when the URI has no
    /// `cert-path=`, `chain` certificates are added to what the token gives.
    ///
    /// The reference is resolved before any document is read for signing: the token found, logged in, and a
    /// challenge signed and verified with the certificate (a key that does not match is refused here).
    static func signer(_ text: String, certificate: String? = nil, chain: [Certificate] = [], what: String) throws -> any Signer {
        var reference = text
        if let certificate, !text.contains("cert-path=") {
            reference += (text.contains("?") ? "&" : "?") + "cert-path=" + percentEncoded(certificate)
        }
        if let problem = KeyReference.pkcs11Problem(reference) { throw CouldNotRun("\(what): \(problem)") }
        guard let parsed = KeyReference(reference) else { throw CouldNotRun("\(what) is not a pkcs11: reference") }
        let signer: any Signer
        do {
            signer = try KeyResolver.signer(for: parsed)
        } catch {
            throw CouldNotRun("\(what) does not resolve: \(error.reason)")
        }
        return chain.isEmpty ? signer : ChainedSigner(base: signer, extra: chain)
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
