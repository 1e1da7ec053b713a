import Foundation
import SealCrypto
import SealReport
import SwiftASN1

/// Makes an electronic seal signature (电子签章): applies a seal to a digest of the protected content.
///
/// ```swift
/// let dataHash = Digest.hash(.sm3, signatureXMLBytes)          // OFD: SM3 of this signature's Signature.xml
/// let builder = SealSignatureBuilder(
///     seal: seal, dataHash: dataHash, propertyInfo: "/Doc_0/Signs/Sign_0/Signature.xml")
/// let signature = try builder.build(signer: signer)            // SignedValue.dat = signature.derEncoded
/// ```
///
/// The layout follows the seal: a v4 (or v5) seal gives a GB/T 38540 signature over DER(TBS_Sign), a v1 seal a
/// GM/T 0031-2014 signature whose TBS_Sign also holds the signer certificate and algorithm. The seal is embedded
/// with its original bytes. Before signing, the builder refuses a signer the seal does not list, a seal outside
/// its validity at the signing time, and a seal whose maker signature does not verify (``SealPolicy``).
public struct SealSignatureBuilder: Sendable {
    public var seal: SESeal
    /// The digest of the protected content (SM3 for SM2 signatures): OFD signs SM3(Signature.xml bytes),
    /// PDF the digest of the signed byte ranges.
    public var dataHash: [UInt8]
    /// 原文数据的属性: for OFD the absolute path of this signature's `Signature.xml`.
    public var propertyInfo: String
    /// The claimed signing time (`timeInfo`), whole seconds.
    public var signingTime: Date = Date()
    /// v4 `TBS_Sign.extDatas`.
    public var extensions: [SESExtensionData]?
    /// Set only by tests that need a signature a verifier must reject.
    var skipPolicyChecks = false

    public init(seal: SESeal, dataHash: [UInt8], propertyInfo: String) {
        self.seal = seal
        self.dataHash = dataHash
        self.propertyInfo = propertyInfo
    }

    /// Signs and returns the parsed signature (its bytes are ``SESSignature/derEncoded``).
    ///
    /// - Parameters:
    ///   - signer: the signer; its certificate must be in the seal's certificate list.
    ///   - timeStamper: when given (v4/v5 only), the signature value octets are timestamped (RFC 3161, imprint
    ///     with `timeStampDigest`, by default the signature's own digest: SM3 for SM2) into `timeStamp`.
    /// - Throws: ``ElectronicSealError``: the refusals of ``SealPolicy`` (`.signerNotInSeal`, `.sealExpired`, …),
    ///   `.invalidParameter`, `.signingFailed`.
    public func build(
        signer: any Signer, timeStamper: (any TimeStampProvider)? = nil, timeStampDigest: DigestAlgorithm? = nil
    ) throws -> SESSignature {
        try SESSignature(bytes: encoded(signer: signer, timeStamper: timeStamper, timeStampDigest: timeStampDigest))
    }

    /// Signs and returns the signature's DER (what ``build(signer:timeStamper:timeStampDigest:)`` parses into an
    /// ``SESSignature``), for callers that only store the bytes (OFD's SignedValue.dat). Same checks and errors.
    public func encoded(
        signer: any Signer, timeStamper: (any TimeStampProvider)? = nil, timeStampDigest: DigestAlgorithm? = nil
    ) throws -> [UInt8] {
        guard let certificate = signer.certificate else {
            throw ElectronicSealError.parameter("the signer has no certificate")
        }
        guard dataHash.count == signer.algorithm.digest.outputByteCount else {
            throw ElectronicSealError.parameter(
                "dataHash has \(dataHash.count) octets; \(signer.algorithm.digest) gives \(signer.algorithm.digest.outputByteCount)")
        }
        guard !propertyInfo.isEmpty else { throw ElectronicSealError.parameter("propertyInfo is empty") }
        _ = try StrictDER.ia5(propertyInfo, "propertyInfo")
        if !skipPolicyChecks {
            try SealPolicy.check(seal, signer: signer, at: signingTime, use: seal.version == .v1 ? .gmt0031 : .gbt38540)
        }

        let isV1 = seal.version == .v1
        if isV1, timeStamper != nil {
            throw ElectronicSealError.parameter("GM/T 0031-2014 signatures carry no timeStamp field")
        }
        let toSign: TBSSign
        if isV1 {
            toSign = TBSSign(
                version: 1, eseal: seal, timeInfo: SESTime(signingTime, encoding: .bitString), dataHash: dataHash,
                propertyInfo: propertyInfo, signerCertificate: certificate.der, signatureAlgorithm: signer.algorithm.oid)
        } else {
            toSign = TBSSign(
                version: seal.version.rawValue, eseal: seal, timeInfo: SESTime(signingTime, encoding: .generalizedTime),
                dataHash: dataHash, propertyInfo: propertyInfo, extensions: extensions)
        }
        let toSignBytes = try toSign.serializedBytes()
        let value: [UInt8]
        do {
            value = try signer.sign(toSignBytes)
        } catch let error as CryptoError where error.code == .keyUnavailable {
            throw error  // the key's token or service went away: the caller may retry
        } catch {
            throw ElectronicSealError(.signingFailed, "the signer could not sign: \(error)")
        }
        var token: [UInt8]?
        if let timeStamper {
            do {
                let digest = timeStampDigest ?? signer.algorithm.digest
                token = try timeStamper.timeStampToken(digest: Digest.hash(digest, value), algorithm: digest)
            } catch let error as CryptoError where error.code == .network {
                throw error  // unreachable TSA: the caller may retry
            } catch {
                throw ElectronicSealError(.signingFailed, "the timestamp authority failed: \(error)")
            }
        }

        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            coder.serializeRawBytes(toSignBytes)
            if !isV1 {
                try coder.serialize(StrictDER.octets(certificate.der))
                try coder.serialize(signer.algorithm.oid)
            }
            try coder.serialize(SESBitString(value))
            if let token { try SESTimeStampField.serialize(token[...], into: &coder) }
        }
        return coder.serializedBytes
    }

}
