import Foundation
import SealCrypto
import SwiftASN1

/// Makes an electronic seal (制作电子印章): the seal information, signed by the seal maker.
///
/// ```swift
/// var builder = SealBuilder(
///     name: "某某公司合同专用章", type: 1, esID: "91110000MA01ABCDE1-0001",
///     picture: SESPictureInfo(type: "PNG", data: png, widthMM: 40, heightMM: 40),
///     signerCertificates: [signerCertificate], validStart: start, validEnd: end)
/// let seal = try builder.build(maker: makerSigner)   // GB/T 38540-2020 v4 unless builder.version = .v1
/// ```
///
/// What is written is strict DER per the standard. The maker signature covers DER(SES_SealInfo) for v4 and
/// DER(SEQUENCE{SES_SealInfo, cert, signatureAlgorithm}) for v1.
public struct SealBuilder: Sendable {
    /// How the seal names its signers.
    public enum CertificateListForm: Sendable, Hashable {
        /// certListType 1: the certificates themselves.
        case certificates
        /// certListType 2: digests of the certificates (v4 only), with the digest name written in `type`.
        case digests(DigestAlgorithm)
    }

    /// `.v4` (GB/T 38540-2020, default) or `.v1` (GM/T 0031-2014).
    public var version: SESVersion = .v4
    /// `SES_Header.Vid`.
    public var vendorID: String = "SealPress"
    public var name: String
    /// 印章类型: business-defined (1 organisation seal, 2 personal seal are the common values).
    public var type: Int
    public var esID: String
    public var picture: SESPictureInfo
    /// DER certificates of the people or systems allowed to sign with this seal.
    public var signerCertificates: [[UInt8]]
    public var certificateListForm: CertificateListForm = .certificates
    public var createDate: Date = Date()
    public var validStart: Date
    public var validEnd: Date
    public var extensions: [SESExtensionData]?

    public init(
        name: String, type: Int, esID: String, picture: SESPictureInfo, signerCertificates: [[UInt8]],
        validStart: Date, validEnd: Date
    ) {
        self.name = name
        self.type = type
        self.esID = esID
        self.picture = picture
        self.signerCertificates = signerCertificates
        self.validStart = validStart
        self.validEnd = validEnd
    }

    /// The seal information as it will be signed.
    public func sealInfo() throws -> SESSealInfo {
        try validate()
        let certList: SESCertList
        switch certificateListForm {
        case .certificates:
            certList = .certificates(signerCertificates.map { $0[...] })
        case .digests(let algorithm):
            certList = .certificateDigests(
                signerCertificates.map { SESCertDigest(type: algorithm.description.uppercased(), value: Digest.hash(algorithm, $0)) })
        }
        let timeEncoding: SESTime.Encoding = version == .v1 ? .utcTime : .generalizedTime
        let property = SESPropertyInfo(
            type: type, name: name, certListType: version == .v1 ? nil : certList.standardListType,
            certList: certList, createDate: SESTime(createDate, encoding: timeEncoding),
            validStart: SESTime(validStart, encoding: timeEncoding), validEnd: SESTime(validEnd, encoding: timeEncoding))
        return SESSealInfo(
            header: SESHeader(version: version.rawValue, vendorID: vendorID), esID: esID, property: property,
            picture: picture, extensions: extensions)
    }

    /// Signs the seal information with `maker` and returns the parsed seal (its bytes are ``SESeal/derEncoded``).
    ///
    /// - Throws: ``ElectronicSealError`` with `.invalidParameter` for input the standard does not allow,
    ///   `.signingFailed` when the maker cannot sign.
    public func build(maker: any Signer) throws -> SESeal {
        let info = try sealInfo()
        guard let makerCertificate = maker.certificate else {
            throw ElectronicSealError.parameter("the seal maker signer has no certificate")
        }
        var infoCoder = DER.Serializer()
        try infoCoder.serialize(info)
        let infoBytes = infoCoder.serializedBytes
        let certificate = StrictDER.octets(makerCertificate.der)
        let algorithm = maker.algorithm.oid

        let signedContent: [UInt8]
        if version == .v1 {
            var coder = DER.Serializer()
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                coder.serializeRawBytes(infoBytes)
                try coder.serialize(certificate)
                try coder.serialize(algorithm)
            }
            signedContent = coder.serializedBytes
        } else {
            signedContent = infoBytes
        }
        let signatureValue: [UInt8]
        do {
            signatureValue = try maker.sign(signedContent)
        } catch {
            throw ElectronicSealError(.signingFailed, "the seal maker could not sign: \(error)")
        }

        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            coder.serializeRawBytes(infoBytes)
            let signInfo = SESSignInfo(
                certificate: makerCertificate.der, signatureAlgorithm: algorithm, signature: SESBitString(signatureValue))
            if version == .v1 {
                try coder.serialize(signInfo)
            } else {
                try signInfo.serializeFields(into: &coder)
            }
        }
        return try SESeal(bytes: coder.serializedBytes)
    }

    private func validate() throws {
        guard version == .v1 || version == .v4 else {
            throw ElectronicSealError.parameter("seals are made as v4 (GB/T 38540-2020) or v1 (GM/T 0031-2014)")
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ElectronicSealError.parameter("the seal name is empty")
        }
        guard !esID.isEmpty else { throw ElectronicSealError.parameter("the seal ID (esID) is empty") }
        _ = try StrictDER.ia5(esID, "esID")
        _ = try StrictDER.ia5(vendorID, "vendor ID")
        _ = try StrictDER.ia5(picture.type, "picture type")
        guard !picture.type.isEmpty, !picture.data.isEmpty else {
            throw ElectronicSealError.parameter("the seal picture or its type is empty")
        }
        guard picture.widthMM > 0, picture.heightMM > 0 else {
            throw ElectronicSealError.parameter("the seal picture size must be positive millimetres")
        }
        guard !signerCertificates.isEmpty else {
            throw ElectronicSealError.parameter("a seal needs at least one signer certificate")
        }
        for certificate in signerCertificates {
            do { _ = try Certificate(der: certificate) } catch {
                throw ElectronicSealError.parameter("a signer certificate is not a DER X.509 certificate")
            }
        }
        guard validStart < validEnd else {
            throw ElectronicSealError.parameter("the seal validity must end after it starts")
        }
        if case .digests = certificateListForm, version == .v1 {
            throw ElectronicSealError.parameter("GM/T 0031-2014 seals list certificates, not digests")
        }
        if version == .v1 {
            for date in [createDate, validStart, validEnd] {
                let year = Calendar(identifier: .gregorian).component(.year, from: date)
                guard (1951...2049).contains(year) else {
                    throw ElectronicSealError.parameter("GM/T 0031-2014 dates are UTCTime (1950–2049)")
                }
            }
        }
    }
}
