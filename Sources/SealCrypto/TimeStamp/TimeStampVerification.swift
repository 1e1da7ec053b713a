import Foundation

/// The outcome of verifying an RFC 3161 TimeStampToken: a value.
public struct TimeStampVerification: Sendable {
    /// What is wrong with a token.
    public enum Failure: Sendable, Hashable, CustomStringConvertible {
        case malformed(String)
        /// The token's messageImprint is not the hash of the time-stamped data.
        case imprintMismatch
        /// The token's hash algorithm is unknown.
        case unsupportedHash
        /// The TSA certificate lacks the id-kp-timeStamping extended key usage.
        case notATimeStampingCertificate
        /// The token's CMS signature failed.
        case signature(CMSVerification.Failure)

        public var description: String {
            switch self {
            case .malformed(let reason): return "malformed token: \(reason)"
            case .imprintMismatch: return "message imprint does not match"
            case .unsupportedHash: return "unsupported imprint hash algorithm"
            case .notATimeStampingCertificate: return "TSA certificate lacks extendedKeyUsage timeStamping"
            case .signature(let failure): return failure.description
            }
        }
    }

    public let info: TSTInfo?
    public let tsaCertificate: Certificate?
    /// The chain of the TSA certificate at genTime, when a trust store was given.
    public let chain: ChainValidation?
    public let failures: [Failure]
    /// The certificates the token carries (to build the TSA's chain without parsing the token again).
    public var certificates: [Certificate] = []

    /// The time the token asserts.
    public var genTime: Date? { info?.genTime }
    public var isValid: Bool { failures.isEmpty }

    /// Verifies a token over `data` (for a CMS signature time-stamp: the signature value bytes).
    public static func verify(
        tokenDER: [UInt8], messageImprintOf data: [UInt8], trust: TrustStore? = nil,
        sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) -> TimeStampVerification {
        verify(tokenDER: tokenDER, imprint: { algorithm in Digest.hash(algorithm, data) }, trust: trust, sm2ID: sm2ID)
    }

    /// Verifies a token against a digest computed by the caller with `algorithm`.
    public static func verify(
        tokenDER: [UInt8], digest: [UInt8], algorithm: DigestAlgorithm, trust: TrustStore? = nil,
        sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) -> TimeStampVerification {
        verify(tokenDER: tokenDER, imprint: { $0 == algorithm ? digest : nil }, trust: trust, sm2ID: sm2ID)
    }

    /// Verifies a token whose imprint algorithm the token chooses: `imprint` computes the digest of the
    /// time-stamped data with that algorithm (a PDF document timestamp: the byte ranges), nil when it cannot.
    public static func verify(
        tokenDER: [UInt8], imprint: (DigestAlgorithm) -> [UInt8]?, trust: TrustStore? = nil,
        sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) -> TimeStampVerification {
        let signedData: CMSSignedData
        let info: TSTInfo
        do {
            signedData = try CMSSignedData(der: tokenDER)
            guard signedData.encapsulatedContentType == OIDs.tstInfo, let content = signedData.encapsulatedContent else {
                throw CryptoError(.malformedTimeStamp, "content is not TSTInfo")
            }
            info = try TSTInfo(der: content)
        } catch {
            let reason = (error as? CryptoError)?.reason ?? "unparseable"
            return TimeStampVerification(info: nil, tsaCertificate: nil, chain: nil, failures: [.malformed(reason)])
        }
        var failures: [Failure] = []
        if let algorithm = info.hashAlgorithm {
            if imprint(algorithm) != info.hashedMessage { failures.append(.imprintMismatch) }
        } else {
            failures.append(.unsupportedHash)
        }
        let cms = signedData.verify(content: nil, trust: trust, at: info.genTime, sm2ID: sm2ID)
        failures.append(contentsOf: cms.failures.map { .signature($0) })
        if let certificate = cms.signerCertificate, !certificate.allowsTimeStamping {
            failures.append(.notATimeStampingCertificate)
        }
        var verification = TimeStampVerification(
            info: info, tsaCertificate: cms.signerCertificate, chain: cms.chain, failures: failures)
        verification.certificates = signedData.certificates
        return verification
    }
}
