import SealCrypto
import Testing

@Suite struct PasswordHashTests {
    @Test func hashVerifiesOnlyTheRightPasswordAndCarriesItsParameters() throws {
        let hash = try PasswordHash(hashing: "correct horse battery staple", iterations: 200_000)
        #expect(hash.verify("correct horse battery staple"))
        #expect(!hash.verify("correct horse battery stapl"))
        #expect(!hash.verify(""))
        #expect(hash.salt.count == 16)
        #expect(hash.hash.count == 32)
        let stored = hash.description
        #expect(stored.hasPrefix("pbkdf2-sha256$200000$"))
        #expect(!stored.contains("correct horse"))
        let parsed = try PasswordHash(stored: stored)
        #expect(parsed == hash)
        #expect(parsed.verify("correct horse battery staple"))
    }

    @Test func saltsDifferAndCheapHashesAreRefused() throws {
        let a = try PasswordHash(hashing: "same password", iterations: 200_000)
        let b = try PasswordHash(hashing: "same password", iterations: 200_000)
        #expect(a.salt != b.salt)
        #expect(a.hash != b.hash)
        #expect(throws: CryptoError(.invalidArgument, "")) { try PasswordHash(hashing: "x", iterations: 1000) }
        #expect(throws: CryptoError(.invalidArgument, "")) { try PasswordHash(hashing: "", iterations: 200_000) }
        let cheap = "pbkdf2-sha256$1000$\(a.description.split(separator: "$")[2])$\(a.description.split(separator: "$")[3])"
        #expect(throws: CryptoError(.invalidArgument, "")) { try PasswordHash(stored: cheap) }
        #expect(throws: CryptoError(.invalidArgument, "")) { try PasswordHash(stored: "plain text") }
    }

    @Test func knownAnswerMatchesPythonsHashlib() throws {
        // hashlib.pbkdf2_hmac("sha256", b"passwd", b"saltsaltsaltsalt", 200000, 32), base64.
        let salt = "c2FsdHNhbHRzYWx0c2FsdA=="
        let known = try PasswordHash(stored: "pbkdf2-sha256$200000$\(salt)$pL1VswGlxMmXSGEc3jNqRvXQkYOpbMb6JI7l73WovP0=")
        #expect(known.verify("passwd"))
        #expect(!known.verify("Passwd"))
        #expect(PasswordHash.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!PasswordHash.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!PasswordHash.constantTimeEqual([1, 2], [1, 2, 3]))
    }
}
