import Foundation
import SealCrypto
import Testing

/// Hostile DER for every parser: truncations, huge lengths, wrong tags, deep nesting, and seeded random
/// mutations of real structures. Every outcome must be a value or a `CryptoError`, never a crash.
@Suite struct HostileInputTests {
    let pki = TestPKI.shared

    /// Every parser under test, by name, returning normally or throwing.
    static let parsers: [(String, @Sendable ([UInt8]) throws -> Void)] = [
        ("Certificate", { _ = try Certificate(der: $0) }),
        ("CRL", { _ = try CertificateRevocationList(der: $0) }),
        ("CMSSignedData", { bytes in
            let parsed = try CMSSignedData(der: bytes)
            _ = parsed.verify(content: [1, 2, 3], trust: TestPKI.shared.trustStore)
        }),
        ("TSTInfo", { _ = try TSTInfo(der: $0) }),
        ("TimeStampRequest", { _ = try TimeStampRequest(der: $0) }),
        ("TimeStampResponse", { _ = try TimeStampResponse(der: $0) }),
        ("TimeStampToken", { _ = TimeStampVerification.verify(tokenDER: $0, messageImprintOf: [1]) }),
        ("DistinguishedName", { _ = try DistinguishedName(der: $0) }),
        ("PublicKey", { _ = try PublicKey(spkiDER: $0) }),
        ("PrivateKey", { _ = try PrivateKey(der: $0) }),
        ("PKCS12", { _ = try PKCS12Bundle(der: $0, password: "x") }),
        ("ECSignature", { _ = try ECSignatureEncoding.rawFromDER($0) }),
    ]

    /// Runs `body` and records anything thrown that is not a CryptoError.
    static func expectTypedOutcome(_ name: String, _ input: [UInt8], _ body: ([UInt8]) throws -> Void) {
        do {
            try body(input)
        } catch is CryptoError {
        } catch {
            Issue.record("\(name) threw a non-CryptoError \(type(of: error)) for \(Array(input.prefix(16)).hex)…")
        }
    }

    @Test func handcraftedHostileInputs() {
        var deepSequence: [UInt8] = []
        for _ in 0..<2_000 { deepSequence = [0x30, 0x80] + deepSequence }  // BER indefinite nesting
        var deepDefinite: [UInt8] = [0x05, 0x00]
        for _ in 0..<200 {
            let length = deepDefinite.count
            deepDefinite = [0x30] + (length < 128 ? [UInt8(length)] : [0x82, UInt8(length >> 8), UInt8(length & 0xff)]) + deepDefinite
        }
        let inputs: [[UInt8]] = [
            [], [0x30], [0x30, 0x00], [0x30, 0x84, 0xff, 0xff, 0xff, 0xff], [0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9],
            [0x30, 0x80, 0x00, 0x00], [0x02, 0x00], [0x03, 0x01, 0x09], [0x31, 0x02, 0x05, 0x00],
            [0xff, 0xff, 0xff], [0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], deepSequence, deepDefinite,
            [UInt8](repeating: 0x30, count: 4096),
        ]
        for (name, parse) in Self.parsers {
            for input in inputs { Self.expectTypedOutcome(name, input, parse) }
        }
    }

    @Test func truncationsAndMutationsOfRealStructures() throws {
        let content = Array("hostile".utf8)
        let tsa = try LocalTimeStampAuthority(signer: try pki.sm2TSA.signer())
        let cms = try CMSSignedData.signDetached(
            contentDigest: Digest.hash(.sm3, content), digestAlgorithm: .sm3, signer: try pki.sm2Signer.signer(),
            options: CMSSignOptions(timestamp: tsa))
        let request = try TimeStampRequest(digest: Digest.hash(.sha256, content), algorithm: .sha256).derEncoded()
        let response = tsa.respond(to: request)
        let token = try #require(try TimeStampResponse(der: response).tokenDER)
        let crl = try CertificateRevocationList.build(
            issuer: pki.sm2Root.certificate, signer: try pki.sm2Root.signer(),
            revoked: [.init(revoking: pki.sealMaker.certificate, at: Date())], thisUpdate: Date(),
            nextUpdate: Date().addingTimeInterval(86_400))
        let tstInfo = try #require(try CMSSignedData(der: token).encapsulatedContent)
        let seeds: [(String, [UInt8])] = [
            ("Certificate", pki.sm2Signer.certificate.der), ("CRL", crl.der), ("CMSSignedData", cms),
            ("TSTInfo", tstInfo), ("TimeStampRequest", request), ("TimeStampResponse", response),
            ("TimeStampToken", token), ("DistinguishedName", pki.sm2Signer.certificate.subjectName.der),
            ("PublicKey", pki.sm2Signer.certificate.publicKey.spkiDER), ("PrivateKey", pki.ecdsaSigner.key.pkcs8DER),
        ]
        let parsers = Dictionary(uniqueKeysWithValues: Self.parsers.map { ($0.0, $0.1) })
        var random = SeededRandom(seed: 0x5EA1_2026)
        for (name, seed) in seeds {
            let parse = try #require(parsers[name])
            // The seed itself parses.
            #expect(throws: Never.self, "\(name) seed") { try parse(seed) }
            // Every truncation (sampled for long inputs).
            let step = max(1, seed.count / 150)
            for length in stride(from: 0, to: seed.count, by: step) {
                Self.expectTypedOutcome(name, Array(seed.prefix(length)), parse)
            }
            // Random mutations: byte flips, length bytes set to huge values, inserted and deleted bytes.
            for _ in 0..<200 {
                var mutated = seed
                for _ in 0..<(1 + random.next(3)) {
                    let index = random.next(mutated.count)
                    switch random.next(4) {
                    case 0: mutated[index] ^= UInt8(1 << random.next(8))
                    case 1: mutated[index] = [0x84, 0xff, 0x80, 0x00, 0x30][random.next(5)]
                    case 2: mutated.insert(UInt8(random.next(256)), at: index)
                    default: mutated.remove(at: index)
                    }
                    if mutated.isEmpty { break }
                }
                Self.expectTypedOutcome(name, mutated, parse)
            }
        }
    }

    @Test func tamperedCMSNeverVerifies() throws {
        let content = Array("integrity".utf8)
        let cms = try CMSSignedData.signDetached(
            contentDigest: Digest.hash(.sha256, content), digestAlgorithm: .sha256, signer: try pki.ecdsaSigner.signer())
        var random = SeededRandom(seed: 42)
        var verifiedTampered = 0
        for _ in 0..<300 {
            var mutated = cms
            let index = random.next(mutated.count)
            mutated[index] ^= UInt8(1 << random.next(8))
            guard let parsed = try? CMSSignedData(der: mutated) else { continue }
            let result = parsed.verify(content: content, trust: pki.trustStore)
            // A flip inside an embedded certificate or unsigned field may keep integrity; the signer and its
            // signature must then be exactly the original ones.
            if result.isValid, parsed.der != cms {
                if result.signerCertificate != pki.ecdsaSigner.certificate { verifiedTampered += 1 }
            }
        }
        #expect(verifiedTampered == 0)
    }
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next(_ bound: Int) -> Int {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Int((state &* 0x2545_F491_4F6C_DD1D) % UInt64(max(bound, 1)))
    }
}
