import ElectronicSeal
import Foundation
import SealCrypto

/// Seals and signatures made with a DemoPKI, shared by the tests of one run (key generation is slow).
enum TestSeals {
    static let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    static let pki: DemoPKI = try! DemoPKI.make(at: now)

    /// The PNG from ofdrw's UserV4.esl (Apache-2.0), used as a realistic picture.
    static let picture: [UInt8] = Array(try! SESeal(bytes: SealFixtures.bytes("ofdrw/UserV4.esl")).picture.data)

    static func builder(version: SESVersion = .v4, signers: [Certificate]? = nil) -> SealBuilder {
        var builder = SealBuilder(
            name: "某某市市场监督管理局合同专用章", type: 1, esID: "SP-TEST-0001",
            picture: SESPictureInfo(type: "PNG", data: picture, widthMM: 40, heightMM: 40),
            signerCertificates: (signers ?? [pki.sm2Signer.certificate]).map(\.der),
            validStart: now.addingTimeInterval(-3600), validEnd: now.addingTimeInterval(365 * 86_400))
        builder.version = version
        builder.createDate = now.addingTimeInterval(-3600)
        return builder
    }

    static func seal(version: SESVersion = .v4) throws -> SESeal {
        try builder(version: version).build(maker: pki.sealMaker.signer())
    }

    static let signatureXML = Array(
        """
        <?xml version="1.0" encoding="UTF-8"?><ofd:Signature xmlns:ofd="http://www.ofdspec.org/2016">\
        <ofd:SignedInfo><ofd:Provider ProviderName="SealPress"/></ofd:SignedInfo>\
        <ofd:SignedValue>/Doc_0/Signs/Sign_0/SignedValue.dat</ofd:SignedValue></ofd:Signature>
        """.utf8)

    static func signature(seal: SESeal, at time: Date = now) throws -> SESSignature {
        var builder = SealSignatureBuilder(
            seal: seal, dataHash: Digest.hash(.sm3, signatureXML), propertyInfo: "/Doc_0/Signs/Sign_0/Signature.xml")
        builder.signingTime = time
        return try builder.build(signer: pki.sm2Signer.signer())
    }
}
