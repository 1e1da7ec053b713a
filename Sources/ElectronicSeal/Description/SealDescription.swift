import Foundation
import SealCrypto
import SealReport
import SwiftASN1

/// Every field of a seal in a form people and JSON consumers can read (`sealpress seal inspect`, seal
/// registries). Binary fields are given as sizes and SHA-256 fingerprints, never as content.
public struct SealDescription: Codable, Sendable, Hashable {
    /// A certificate named by a seal.
    public struct CertificateDescription: Codable, Sendable, Hashable {
        public var subject: String?
        public var issuer: String?
        public var serialNumber: String?
        public var notBefore: Date?
        public var notAfter: Date?
        public var keyAlgorithm: String?
        /// SHA-256 of the certificate DER (hex).
        public var sha256: String
        /// The entry could not be read as X.509.
        public var unreadable: Bool

        init(der: ArraySlice<UInt8>) {
            sha256 = Digest.hash(.sha256, der).hex
            if let certificate = try? Certificate(der: Array(der)) {
                subject = certificate.subject
                issuer = certificate.issuer
                serialNumber = certificate.serialNumberHex
                notBefore = certificate.notBefore
                notAfter = certificate.notAfter
                keyAlgorithm = certificate.publicKey.algorithm.description
                unreadable = false
            } else {
                unreadable = true
            }
        }
    }

    /// A time field: the instant (when readable) and the text as written.
    public struct TimeDescription: Codable, Sendable, Hashable {
        public var date: Date?
        public var text: String
        public var encoding: SESTime.Encoding
        public var assumedZone: Bool

        init(_ time: SESTime) {
            date = time.date
            text = time.timeStampToken == nil ? time.text : "(timestamp token)"
            encoding = time.encoding
            assumedZone = !time.hasExplicitZone
        }
    }

    public struct DigestEntry: Codable, Sendable, Hashable {
        public var type: String
        public var value: String
    }

    public struct ExtensionEntry: Codable, Sendable, Hashable {
        public var oid: String
        public var critical: Bool
        public var valueBytes: Int
    }

    public struct PictureDescription: Codable, Sendable, Hashable {
        public var type: String
        public var bytes: Int
        public var widthMM: Int
        public var heightMM: Int
        public var sha256: String
    }

    /// `GB/T 38540-2020` etc.
    public var standard: String
    public var layoutVersion: Int
    public var headerID: String
    public var headerVersion: Int
    public var vendorID: String
    public var esID: String
    public var type: Int
    public var name: String
    public var certListType: Int?
    public var certificates: [CertificateDescription]
    public var certificateDigests: [DigestEntry]
    public var certificateIdentifiers: [String]
    public var createDate: TimeDescription
    public var validStart: TimeDescription
    public var validEnd: TimeDescription
    public var picture: PictureDescription
    public var extensions: [ExtensionEntry]
    public var maker: CertificateDescription
    public var signatureAlgorithm: String
    public var signatureAlgorithmName: String?
    public var makerSignatureBytes: Int
    public var hasTimeStamp: Bool
    public var encodedBytes: Int
    /// SHA-256 of the seal as read (hex): a stable fingerprint for registries.
    public var sha256: String

    public init(_ seal: SESeal) {
        let info = seal.sealInfo
        let property = info.property
        standard = seal.version.standard
        layoutVersion = seal.version.rawValue
        headerID = info.header.id
        headerVersion = info.header.version
        vendorID = info.header.vendorID
        esID = info.esID
        type = property.type
        name = property.name
        certListType = property.certListType
        switch property.certList {
        case .certificates(let list):
            certificates = list.map(CertificateDescription.init(der:))
            certificateDigests = []
            certificateIdentifiers = []
        case .certificateDigests(let list):
            certificates = []
            certificateDigests = list.map { DigestEntry(type: $0.type, value: $0.value.hex) }
            certificateIdentifiers = []
        case .certificateIdentifiers(let list):
            certificates = []
            certificateDigests = []
            certificateIdentifiers = list
        }
        createDate = TimeDescription(property.createDate)
        validStart = TimeDescription(property.validStart)
        validEnd = TimeDescription(property.validEnd)
        picture = PictureDescription(
            type: info.picture.type, bytes: info.picture.data.count, widthMM: info.picture.widthMM,
            heightMM: info.picture.heightMM, sha256: Digest.hash(.sha256, info.picture.data).hex)
        extensions = (info.extensions ?? []).map {
            ExtensionEntry(oid: $0.extnID.description, critical: $0.critical, valueBytes: $0.extnValue.count)
        }
        maker = CertificateDescription(der: seal.makerCertificate)
        signatureAlgorithm = seal.signInfo.signatureAlgorithm.description
        signatureAlgorithmName = SignatureAlgorithm(oid: seal.signInfo.signatureAlgorithm)?.description
        makerSignatureBytes = seal.signInfo.signature.bytes.count
        hasTimeStamp = seal.timeStamp != nil
        encodedBytes = seal.derEncoded.count
        sha256 = Digest.hash(.sha256, seal.derEncoded).hex
    }
}

extension Collection<UInt8> {
    /// Lowercase hexadecimal.
    var hex: String { Hex.string(self) }
}
