@testable import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import Testing

/// Each class of quirk real signers produce (Docs/seals.md), built here from scratch and signed with a
/// DemoPKI key, so the tolerance is tested as a class, not only on the corpus files that happen to show it.
@Suite struct QuirkToleranceTests {
    // MARK: - A tiny DER writer for hand-made (non-DER) encodings

    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out = [tag]
        if content.count < 0x80 {
            out.append(UInt8(content.count))
        } else {
            var length = content.count
            var bytes: [UInt8] = []
            while length > 0 {
                bytes.insert(UInt8(length & 0xFF), at: 0)
                length >>= 8
            }
            out.append(0x80 | UInt8(bytes.count))
            out += bytes
        }
        return out + content
    }
    static func seq(_ parts: [UInt8]...) -> [UInt8] { tlv(0x30, parts.flatMap { $0 }) }
    static func int(_ value: UInt8) -> [UInt8] { tlv(0x02, [value]) }
    static func ia5(_ text: String) -> [UInt8] { tlv(0x16, Array(text.utf8)) }
    static func utf8(_ text: String) -> [UInt8] { tlv(0x0C, Array(text.utf8)) }
    static func octets(_ bytes: [UInt8]) -> [UInt8] { tlv(0x04, bytes) }
    static func bits(_ bytes: [UInt8], unused: UInt8 = 0) -> [UInt8] { tlv(0x03, [unused] + bytes) }
    static let sm2OID: [UInt8] = [0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x83, 0x75]

    struct SealParts {
        var header = seq(ia5("ES"), int(4), ia5("QuirkVendor"))
        var name = utf8("测试印章")
        var certListType = int(1)
        var certList: [UInt8]? = nil
        var validStart = tlv(0x18, Array("20200101000000Z".utf8))
        var validEnd = tlv(0x18, Array("20991231000000Z".utf8))
        var extensions: [UInt8]? = nil
        var picture = seq(ia5("PNG"), octets([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]), int(40), int(40))

        func sealInfo(signer: Certificate) -> [UInt8] {
            let list = certList ?? seq(octets(signer.der))
            let property = seq(int(1), name, certListType, list, validStart, validStart, validEnd)
            return tlv(0x30, header + ia5("QUIRK-1") + property + picture + (extensions ?? []))
        }
    }

    /// A v4 seal over `parts`, its maker signature post-processed by `value` and written by `wrap`.
    static func seal(
        _ parts: SealParts = SealParts(), signatureValue: ([UInt8]) throws -> [UInt8] = { $0 },
        algorithm: [UInt8] = sm2OID, wrapSignature: ([UInt8]) -> [UInt8] = { bits($0) }
    ) throws -> (bytes: [UInt8], sealInfo: [UInt8]) {
        let pki = TestSeals.pki
        let info = parts.sealInfo(signer: pki.sm2Signer.certificate)
        let value = try signatureValue(try pki.sealMaker.signer().sign(info))
        let bytes = tlv(0x30, info + octets(pki.sealMaker.certificate.der) + algorithm + wrapSignature(value))
        return (bytes, info)
    }

    static func makerCheck(_ bytes: [UInt8]) throws -> Check? {
        SealVerifier.verify(seal: try SESeal(bytes: bytes), at: TestSeals.now).named(SealCheckName.sealMakerSignature)
    }

    // MARK: - Signature encodings

    @Test func rawRSMakerSignatureVerifies() throws {
        let (bytes, _) = try Self.seal(signatureValue: { try ECSignatureEncoding.rawFromDER($0) })
        let check = try Self.makerCheck(bytes)
        #expect(check?.status == .passed && check?.reason?.contains("raw") == true)
    }

    @Test func trimmedBitStringsVerify() throws {
        // Sign until a signature ends in a zero octet, then trim it and declare unused bits, as Suwell's SDK does.
        var foundRaw = false, foundDER = false
        for _ in 0..<3000 where !(foundRaw && foundDER) {
            let (bytes, info) = try Self.seal()
            let seal = try SESeal(bytes: bytes)
            let der = Array(seal.signInfo.signature.bytes)
            let raw = try ECSignatureEncoding.rawFromDER(der)
            if !foundDER, der.last == 0 {
                foundDER = true
                let trimmed = Array(der.dropLast())
                let quirky = Self.tlv(0x30, info + Self.octets(Array(seal.makerCertificate)) + Self.sm2OID + Self.bits(trimmed, unused: 3))
                #expect(try Self.makerCheck(quirky)?.status == .passed)
            }
            if !foundRaw, raw.last == 0 {
                foundRaw = true
                let trimmed = Array(raw.dropLast())
                let quirky = Self.tlv(0x30, info + Self.octets(Array(seal.makerCertificate)) + Self.sm2OID + Self.bits(trimmed, unused: 2))
                #expect(try Self.makerCheck(quirky)?.status == .passed)
            }
        }
        #expect(foundRaw && foundDER)
    }

    @Test func integersWithoutSignOctetVerify() throws {
        // Re-encode r and s as DER INTEGERs without the 0x00 sign octet (they then read as negative).
        var tested = false
        for _ in 0..<64 where !tested {
            let (bytes, info) = try Self.seal()
            let raw = try ECSignatureEncoding.rawFromDER(Array(try SESeal(bytes: bytes).signInfo.signature.bytes))
            let r = Array(raw.prefix(32)), s = Array(raw.suffix(32))
            guard r[0] & 0x80 != 0 || s[0] & 0x80 != 0 else { continue }
            tested = true
            let unsigned = Self.seq(Self.tlv(0x02, r), Self.tlv(0x02, s))
            let quirky = Self.tlv(0x30, info + Self.octets(TestSeals.pki.sealMaker.certificate.der) + Self.sm2OID + Self.bits(unsigned))
            #expect(try Self.makerCheck(quirky)?.status == .passed)
        }
        #expect(tested)
    }

    @Test func signatureAsOctetStringAndAlgorithmAsAlgorithmIdentifierVerify() throws {
        let algorithmIdentifier = Self.seq(Self.sm2OID, [0x05, 0x00])
        let (bytes, _) = try Self.seal(algorithm: algorithmIdentifier, wrapSignature: { Self.octets($0) })
        #expect(try Self.makerCheck(bytes)?.status == .passed)
    }

    // MARK: - Field encodings

    @Test func explicitCriticalFalseIsReadAndVerifiedOverTheOriginalBytes() throws {
        var parts = SealParts()
        let oid: [UInt8] = [0x06, 0x03, 0x2A, 0x03, 0x04]
        parts.extensions = Self.seq(Self.seq(oid, [0x01, 0x01, 0x00], Self.octets([1, 2, 3])))
        let (bytes, _) = try Self.seal(parts)
        let seal = try SESeal(bytes: bytes)
        #expect(seal.sealInfo.extensions?.first?.critical == false)
        #expect(try Self.makerCheck(bytes)?.status == .passed)
        // Our re-encoding drops the explicit FALSE (DER), so it differs from what the maker signed.
        #expect(try seal.serializedBytes() != bytes)
    }

    @Test func utcTimeStyleGeneralizedTimeAndZonelessTimesAreRead() throws {
        var parts = SealParts()
        parts.validStart = Self.tlv(0x18, Array("220725214639Z".utf8))
        parts.validEnd = Self.tlv(0x18, Array("20990318213217".utf8))
        let seal = try SESeal(bytes: try Self.seal(parts).bytes)
        #expect(seal.sealInfo.property.validStart.date == ISO8601DateFormatter().date(from: "2022-07-25T21:46:39Z"))
        #expect(seal.sealInfo.property.validEnd.date == ISO8601DateFormatter().date(from: "2099-03-18T13:32:17Z"))
        #expect(seal.sealInfo.property.validEnd.hasExplicitZone == false)
        for text in [
            "2022-07-25 21:46:39", "2022-07-25T21:46:39.5+08:00", "20220725214639.123Z", "202207252146Z",
            "2022/7/5 9:03:01", "2022年07月25日 21:46:39", "2022-07-25T21:46:39-05:00",
        ] {
            #expect(SESTime.parse(text) != nil, "\(text)")
        }
        #expect(SESTime.parse("2022年07月25日 21时46分39秒")?.date == ISO8601DateFormatter().date(from: "2022-07-25T13:46:39Z"))
        for text in ["2022-13-01 00:00:00", "20220230000000Z", "yesterday", "", "2022-07-25 25:00:00", "12345"] {
            #expect(SESTime.parse(text) == nil, "\(text)")
        }
    }

    @Test func certListType3WithCertificatesBindsTheSigner() throws {
        var parts = SealParts()
        parts.certListType = Self.int(3)
        let seal = try SESeal(bytes: try Self.seal(parts).bytes)
        #expect(seal.sealInfo.property.certListType == 3)
        var builder = SealSignatureBuilder(
            seal: seal, dataHash: Digest.hash(.sm3, TestSeals.signatureXML), propertyInfo: "/Doc_0/Signs/Sign_0/Signature.xml")
        builder.signingTime = TestSeals.now
        let signature = try builder.build(signer: TestSeals.pki.sm2Signer.signer())
        let checks = SealVerifier.verify(signature: signature, signedData: .content(TestSeals.signatureXML))
        #expect(checks.named(SealCheckName.signerInSealCertList)?.status == .passed)
        #expect(checks.named(SealCheckName.sealMakerSignature)?.status == .passed)
    }

    @Test func stringTypeVariantsAndPaddedNamesAreRead() throws {
        var parts = SealParts()
        parts.header = Self.seq(Self.utf8("ES"), Self.int(4), Self.tlv(0x13, Array("Vendor".utf8)))
        parts.name = Self.tlv(0x16, Array("SEAL".utf8) + [0, 0, 0])
        let seal = try SESeal(bytes: try Self.seal(parts).bytes)
        #expect(seal.sealInfo.header.id == "ES" && seal.sealInfo.header.vendorID == "Vendor")
        #expect(seal.name == "SEAL")
        var bmp = SealParts()
        bmp.name = Self.tlv(0x1E, [0x53, 0x70, 0x7A, 0xE0])  // "印章" in UTF-16BE
        #expect(try SESeal(bytes: try Self.seal(bmp).bytes).name == "印章")
    }

    @Test func certificatesWrittenWithoutOctetStringAreRead() throws {
        var parts = SealParts()
        parts.certList = Self.seq(TestSeals.pki.sm2Signer.certificate.der)  // the X.509 SEQUENCE itself
        let seal = try SESeal(bytes: try Self.seal(parts).bytes)
        guard case .certificates(let list) = seal.sealInfo.property.certList else {
            Issue.record("expected certificates")
            return
        }
        #expect(Array(list[0]) == TestSeals.pki.sm2Signer.certificate.der)
    }

    @Test func timeStampFieldFormsAreRead() throws {
        let signature = try TestSeals.signature(seal: TestSeals.seal())
        let token = Self.seq(Self.sm2OID)  // any DER SEQUENCE stands in for a token here
        let body = Array(signature.signedContent) + Self.octets(Array(signature.signerCertificate)) + Self.sm2OID
            + Self.bits(Array(signature.signature.bytes))
        for form in [
            Self.tlv(0xA0, Self.bits(token)),  // [0] EXPLICIT BIT STRING (ofdrw, what we write)
            Self.tlv(0x80, [0] + token),  // [0] IMPLICIT BIT STRING
            Self.bits(token),  // untagged
            Self.tlv(0xA0, token),  // the token itself in [0]
        ] {
            let parsed = try SESSignature(bytes: Self.tlv(0x30, body + form))
            #expect(parsed.timeStamp.map(Array.init) == token)
        }
    }

    // MARK: - Signatures assembled by hand

    /// A v4 SES_Signature over a hand-made TBS_Sign with the given dataHash octets, signed by the DemoPKI signer.
    static func signature(dataHash: [UInt8], appendToSignature extra: [UInt8] = []) throws -> SESSignature {
        let seal = try TestSeals.seal()
        let tbs = seq(
            int(4), Array(seal.derEncoded), tlv(0x18, Array("20260101000000Z".utf8)), bits(dataHash),
            ia5("/Doc_0/Signs/Sign_0/Signature.xml"))
        let value = try TestSeals.pki.sm2Signer.signer().sign(tbs) + extra
        return try SESSignature(
            bytes: seq(tbs, octets(TestSeals.pki.sm2Signer.certificate.der), sm2OID, bits(value)))
    }

    @Test func dataHashWrittenAsTextIsAcceptedAndNoted() throws {
        let digest = Digest.hash(.sm3, TestSeals.signatureXML)
        for text in [Data(digest).base64EncodedString(), digest.map { String(format: "%02X", $0) }.joined()] {
            let signature = try Self.signature(dataHash: Array(text.utf8))
            let check = SealVerifier.verify(signature: signature, signedData: .content(TestSeals.signatureXML))
                .named(SealCheckName.dataHash)
            #expect(check?.status == .passed && check?.reason?.contains("non-standard") == true)
        }
    }

    @Test func dataHashWithAnotherDigestOfTheSameLengthIsFound() throws {
        let signature = try Self.signature(dataHash: Digest.hash(.sha256, TestSeals.signatureXML))
        let checks = SealVerifier.verify(signature: signature, signedData: .content(TestSeals.signatureXML))
        #expect(checks.named(SealCheckName.dataHash)?.reason == "dataHash matches (SHA-256)")
        #expect(checks.named(SealCheckName.dataHash)?.status == .passed)
        #expect(checks.named(SealCheckName.signatureValue)?.status == .passed)
    }

    @Test func zeroOctetsAfterTheDERSignatureAreIgnored() throws {
        let signature = try Self.signature(dataHash: Digest.hash(.sm3, TestSeals.signatureXML), appendToSignature: [0, 0])
        let checks = SealVerifier.verify(signature: signature, signedData: .content(TestSeals.signatureXML))
        #expect(checks.named(SealCheckName.signatureValue)?.status == .passed)
    }

    @Test func signerCertificateReencodedIsStillMatched() throws {
        // The seal lists the signer's certificate; the signature carries it with a non-minimal outer length.
        let der = TestSeals.pki.sm2Signer.certificate.der
        var header = 1
        let first = der[1]
        header += first & 0x80 == 0 ? 1 : 1 + Int(first & 0x7F)
        let content = Array(der[header...])
        let longForm: [UInt8] = [0x30, 0x84] + withUnsafeBytes(of: UInt32(content.count).bigEndian, Array.init) + content
        #expect(longForm != der)
        let seal = try TestSeals.seal()
        let tbs = Self.seq(
            Self.int(4), Array(seal.derEncoded), Self.tlv(0x18, Array("20260101000000Z".utf8)),
            Self.bits(Digest.hash(.sm3, TestSeals.signatureXML)), Self.ia5("/Doc_0/Signs/Sign_0/Signature.xml"))
        let value = try TestSeals.pki.sm2Signer.signer().sign(tbs)
        let signature = try SESSignature(bytes: Self.seq(tbs, Self.octets(longForm), Self.sm2OID, Self.bits(value)))
        let checks = SealVerifier.verify(signature: signature, signedData: .content(TestSeals.signatureXML))
        let membership = checks.named(SealCheckName.signerInSealCertList)
        #expect(membership?.status == .passed && membership?.reason?.contains("encoded differently") == true)
    }

    @Test func certListType3WithDigestsBindsTheSigner() throws {
        var parts = SealParts()
        parts.certListType = Self.int(3)
        let digest = Digest.hash(.sm3, TestSeals.pki.sm2Signer.certificate.der)
        parts.certList = Self.seq(Self.seq(Self.tlv(0x13, Array("SM3".utf8)), Self.octets(digest)))
        let seal = try SESeal(bytes: try Self.seal(parts).bytes)
        guard case .certificateDigests = seal.sealInfo.property.certList else {
            Issue.record("expected a digest list")
            return
        }
        let signature = try TestSeals.signature(seal: seal)
        let checks = SealVerifier.verify(signature: signature, signedData: .content(TestSeals.signatureXML))
        #expect(checks.named(SealCheckName.signerInSealCertList)?.status == .passed)
    }

    @Test func version1SignInfoWithTheCertificateInABitStringVerifies() throws {
        // GM/T 0031-2014 layout; the maker signs SEQUENCE{SES_SealInfo, cert, alg} exactly as written.
        var parts = SealParts()
        parts.header = Self.seq(Self.ia5("ES"), Self.int(1), Self.ia5("V1Vendor"))
        let signer = TestSeals.pki.sm2Signer.certificate
        let property = Self.seq(
            Self.int(1), Self.utf8("v1"), Self.seq(Self.octets(signer.der)), Self.tlv(0x17, Array("200101000000Z".utf8)),
            Self.tlv(0x17, Array("200101000000Z".utf8)), Self.tlv(0x17, Array("491231000000Z".utf8)))
        let info = Self.seq(parts.header, Self.ia5("V1-1"), property, parts.picture)
        let certificate = Self.bits(TestSeals.pki.sealMaker.certificate.der)
        let value = try TestSeals.pki.sealMaker.signer().sign(Self.seq(info, certificate, Self.sm2OID))
        let bytes = Self.seq(info, Self.seq(certificate, Self.sm2OID, Self.bits(value)))
        let seal = try SESeal(bytes: bytes)
        #expect(seal.version == .v1)
        #expect(Array(seal.makerCertificate) == TestSeals.pki.sealMaker.certificate.der)
        #expect(try Self.makerCheck(bytes)?.status == .passed)
    }

    @Test func setsWhereSequencesBelongAndBitStringPicturesAreRead() throws {
        var parts = SealParts()
        parts.certList = Self.tlv(0x31, Self.octets(TestSeals.pki.sm2Signer.certificate.der))
        parts.picture = Self.seq(Self.ia5("PNG"), Self.bits([0x89, 0x50, 0x4E, 0x47]), Self.int(40), Self.int(30))
        parts.extensions = Self.tlv(0x31, Self.seq([0x06, 0x03, 0x2A, 0x03, 0x04], Self.octets([9])))
        let (bytes, _) = try Self.seal(parts)
        let seal = try SESeal(bytes: bytes)
        #expect(seal.sealInfo.property.certList.count == 1)
        #expect(Array(seal.picture.data) == [0x89, 0x50, 0x4E, 0x47] && seal.picture.heightMM == 30)
        #expect(seal.sealInfo.extensions?.count == 1)
        #expect(try Self.makerCheck(bytes)?.status == .passed)
    }
}
