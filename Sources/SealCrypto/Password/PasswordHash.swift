internal import CSealSSL
import Foundation

/// A stored password hash: PBKDF2-HMAC-SHA256 (RFC 8018) from OpenSSL, a random salt per password, and a
/// constant-time comparison on verification.
///
/// The stored form is one line, `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`, so the iteration count
/// travels with each hash and can be raised later without invalidating older ones. The password itself is never
/// kept.
public struct PasswordHash: Sendable, Hashable, CustomStringConvertible {
    /// The iteration count new hashes use (OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256 is 600,000).
    public static let defaultIterations = 600_000
    /// Hashes with fewer iterations are refused when parsed: they are too cheap to guess.
    public static let minimumIterations = 200_000
    static let scheme = "pbkdf2-sha256"

    public let iterations: Int
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// Hashes `password` with a fresh 16-byte random salt.
    ///
    /// - Throws: ``CryptoError/Code/invalidArgument`` for an empty password or too few iterations,
    ///   ``CryptoError/Code/openSSL`` when OpenSSL's random generator or PBKDF2 fails.
    public init(hashing password: String, iterations: Int = PasswordHash.defaultIterations) throws(CryptoError) {
        guard !password.isEmpty else { throw CryptoError(.invalidArgument, "the password is empty") }
        guard iterations >= Self.minimumIterations else {
            throw CryptoError(.invalidArgument, "a password hash needs at least \(Self.minimumIterations) iterations")
        }
        var salt = [UInt8](repeating: 0, count: 16)
        try ossl("RAND_bytes") { salt.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, 16) } }
        self.iterations = iterations
        self.salt = salt
        self.hash = try Self.derive(password, salt: salt, iterations: iterations, length: 32)
    }

    /// Parses the stored form.
    ///
    /// - Throws: ``CryptoError/Code/invalidArgument`` when `stored` is not a PBKDF2-SHA256 hash this type wrote.
    public init(stored: String) throws(CryptoError) {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.scheme, let iterations = Int(parts[1]),
            iterations >= Self.minimumIterations, iterations <= 100_000_000,
            let salt = Data(base64Encoded: String(parts[2])), salt.count >= 16,
            let hash = Data(base64Encoded: String(parts[3])), hash.count >= 32
        else { throw CryptoError(.invalidArgument, "the stored password hash is not a PBKDF2-SHA256 hash") }
        self.iterations = iterations
        self.salt = Array(salt)
        self.hash = Array(hash)
    }

    /// The stored form (`pbkdf2-sha256$iterations$salt$hash`).
    public var description: String {
        "\(Self.scheme)$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
    }

    /// Whether `password` hashes to this value (compared in constant time).
    public func verify(_ password: String) -> Bool {
        guard let candidate = try? Self.derive(password, salt: salt, iterations: iterations, length: hash.count)
        else { return false }
        return Self.constantTimeEqual(candidate, hash)
    }

    /// Equal length and bytes, in time that depends only on the length (OpenSSL's `CRYPTO_memcmp`).
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) } }
            == 0
    }

    /// `count` cryptographically random bytes from OpenSSL's generator (session and CSRF tokens).
    public static func randomBytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try ossl("RAND_bytes") { bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, CInt(count)) } }
        return bytes
    }

    private static func derive(_ password: String, salt: [UInt8], iterations: Int, length: Int) throws(CryptoError)
        -> [UInt8]
    {
        let secret = Array(password.utf8)
        guard !secret.isEmpty else { throw CryptoError(.invalidArgument, "the password is empty") }
        var out = [UInt8](repeating: 0, count: length)
        try ossl("PKCS5_PBKDF2_HMAC") {
            secret.withUnsafeBufferPointer { p in
                salt.withUnsafeBufferPointer { s in
                    out.withUnsafeMutableBufferPointer { o in
                        p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(secret.count, 1)) { pass in
                            PKCS5_PBKDF2_HMAC(
                                pass, CInt(secret.count), s.baseAddress, CInt(salt.count), CInt(iterations),
                                EVP_sha256(), CInt(length), o.baseAddress)
                        }
                    }
                }
            }
        }
        return out
    }
}
