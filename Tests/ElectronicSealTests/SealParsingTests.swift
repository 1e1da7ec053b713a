import ElectronicSeal
import Foundation
import SwiftASN1
import Testing

@Suite struct SealParsingTests {
    @Test func userV4SealParsesEveryField() throws {
        let seal = try SESeal(bytes: SealFixtures.bytes("ofdrw/UserV4.esl"))
        #expect(seal.version == .v4)
        #expect(seal.sealInfo.header == SESHeader(id: "ES", version: 4, vendorID: "OFDR&WTest"))
        #expect(seal.esID == "51f044b76510434e9bc67a1185c2fba5")
        let property = seal.sealInfo.property
        #expect(property.type == 3)
        #expect(property.name == "OFD R&W 测试用印章")
        #expect(property.certListType == 1)
        guard case .certificates(let certificates) = property.certList else {
            Issue.record("expected a certificate list")
            return
        }
        #expect(certificates.count == 1 && certificates[0].count == 528)
        #expect(property.createDate.text == "20200422020900Z")
        #expect(property.validEnd.date == Date(timeIntervalSince1970: 1_650_593_340))
        #expect(seal.picture.type == "PNG" && seal.picture.widthMM == 40 && seal.picture.heightMM == 40)
        #expect(Array(seal.picture.data.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        #expect(seal.signInfo.signatureAlgorithm == ASN1ObjectIdentifier("1.2.156.10197.1.501"))
        #expect(seal.makerCertificate.count == 526)
        #expect(seal.makerSignedContent == Array(seal.sealInfo.derEncoded!))
    }

    @Test func userV1SealParsesAsGMT0031() throws {
        let seal = try SESeal(bytes: SealFixtures.bytes("ofdrw/UserV1.esl"))
        #expect(seal.version == .v1)
        #expect(seal.sealInfo.header.version == 1)
        #expect(seal.sealInfo.property.isGMT0031Layout)
        #expect(seal.sealInfo.property.createDate.encoding == .utcTime)
        #expect(seal.sealInfo.property.validStart.date == Date(timeIntervalSince1970: 1_587_521_887))
        #expect(seal.name == "OFDRW测试用印章")
        // v1 maker signs SEQUENCE{SES_SealInfo, cert, alg}: a SEQUENCE header then the three original elements.
        #expect(seal.makerSignedContent.first == 0x30)
        #expect(seal.makerSignedContent.count > seal.sealInfo.derEncoded!.count + seal.makerCertificate.count)
    }

    @Test(arguments: SealFixtures.sealSignatures)
    func corpusSignedValueParses(_ fixture: SealFixtures.SignedValue) throws {
        let signature = try SESSignature(bytes: fixture.signedValue())
        #expect(signature.version.rawValue == fixture.expectedVersion)
        #expect(signature.toSign.propertyInfo == "/" + fixture.folder.split(separator: "/").suffix(1).map { "Doc_0/Signs/\($0)/Signature.xml" }.joined())
        #expect(signature.toSign.dataHash.bytes.count == 32 || signature.toSign.dataHash.unusedBits != 0)
        #expect(signature.toSign.timeInfo.date != nil)
        #expect(signature.signedContent == signature.toSign.derEncoded)
        if let seal = try fixture.sealFile() {
            #expect(Array(signature.seal.derEncoded) == seal, "Seal.esl must equal the embedded eseal")
        }
    }

    @Test(arguments: SealFixtures.signTypeSignatures)
    func signTypeSignedValueIsNotASealSignature(_ path: String) throws {
        #expect(throws: ElectronicSealError(.notASealSignature, "")) {
            try SESSignature(bytes: SealFixtures.bytes(path))
        }
    }

    @Test func trailingBytesAfterTheOuterElementAreIgnored() throws {
        let bytes = try SealFixtures.bytes("ofdrw/UserV4.esl")
        let seal = try SESeal(bytes: bytes + Array(repeating: 0, count: 16))
        #expect(Array(seal.derEncoded) == bytes)
        let signature = try SealFixtures.bytes("ofdrw/SESV4SignDoc/Sign_0/SignedValue.dat")
        #expect(Array(try SESSignature(bytes: signature + [0x0D, 0x0A]).derEncoded) == signature)
    }

    @Test func suwellQuirksAreRead() throws {
        let signature = try SESSignature(bytes: SealFixtures.bytes("ofd-go/bank_receipt_1/Sign_0/SignedValue.dat"))
        #expect(signature.signature.unusedBits == 2)
        #expect(signature.signature.bytes.count == 64 && signature.signature.bytes.first != 0x30)
        #expect(signature.seal.signInfo.signature.bytes.count == 64)
        // GeneralizedTime without a zone: read as China Standard Time.
        let time = signature.toSign.timeInfo
        #expect(time.text == "20220221142531" && !time.hasExplicitZone)
        #expect(time.date == ISO8601DateFormatter().date(from: "2022-02-21T06:25:31Z"))
        #expect(signature.seal.sealInfo.picture.type == "png")
    }
}
