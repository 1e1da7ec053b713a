import Foundation
import SealCrypto
import Synchronization

/// Wraps a time-stamping authority and remembers the token it returned, so the usage row can carry its hash.
/// One recorder serves one signature.
final class TokenRecorder: TimeStampProvider, Sendable {
    private let provider: any TimeStampProvider
    private let token = Mutex<[UInt8]?>(nil)

    init(_ provider: any TimeStampProvider) { self.provider = provider }

    func timeStampToken(digest: [UInt8], algorithm: DigestAlgorithm) throws -> [UInt8] {
        let result = try provider.timeStampToken(digest: digest, algorithm: algorithm)
        token.withLock { $0 = result }
        return result
    }

    /// SHA-256 (hex) of the last token, or nil when none was fetched.
    var tokenSHA256: String? {
        token.withLock { $0 }.map { Hex.string(Digest.hash(.sha256, $0)) }
    }
}
