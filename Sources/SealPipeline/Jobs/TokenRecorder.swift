import Foundation
import SealCrypto

/// Wraps a time-stamping authority and remembers the token it returned, so the usage row can carry its hash.
///
/// `@unchecked Sendable`: the recorded token is guarded by `lock`; one recorder serves one signature.
final class TokenRecorder: TimeStampProvider, @unchecked Sendable {
    private let provider: any TimeStampProvider
    private let lock = NSLock()
    private var token: [UInt8]?

    init(_ provider: any TimeStampProvider) { self.provider = provider }

    func timeStampToken(digest: [UInt8], algorithm: DigestAlgorithm) throws -> [UInt8] {
        let result = try provider.timeStampToken(digest: digest, algorithm: algorithm)
        lock.lock()
        token = result
        lock.unlock()
        return result
    }

    /// SHA-256 (hex) of the last token, or nil when none was fetched.
    var tokenSHA256: String? {
        lock.lock()
        defer { lock.unlock() }
        return token.map { Hex.string(Digest.hash(.sha256, $0)) }
    }
}
