import Foundation
import SealCrypto
import SealRemoteSigner

/// `--key` / `--maker-key` values that name a key in a signing service (`sealpress+https://HOST:PORT/keys/NAME`).
enum RemoteKeyCLI {
    static func isRemote(_ key: String?) -> Bool { key?.hasPrefix(RemoteKeyLocation.scheme + "://") ?? false }

    /// Connects to the service and reads the key's certificate; when `certificatePath` is given, its certificate
    /// must hold the service key's public key.
    static func signer(_ key: String, certificatePath: String?, what: String) throws -> any Signer {
        let signer = try connect(key, what: what)
        if let certificatePath {
            let given = try SealCommandInput.certificates(certificatePath, what: "certificate")
            guard let first = given.first, first.publicKey == signer.publicKey else {
                throw CouldNotRun("the certificate \(certificatePath) does not hold the public key of the service's key \(key)")
            }
        }
        return signer
    }

    private static func connect(_ key: String, what: String) throws -> RemoteSigner {
        do {
            return try RemoteSigner(reference: key)
        } catch {
            throw CouldNotRun("the \(what) \(key) cannot be used: \(error.reason)")
        }
    }
}
