@testable import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import Testing

@Suite struct SealBuildAndVerifyTests {
    @Test(arguments: [SESVersion.v4, .v1])
    func ourSealAndSignatureVerifyWithTrust(_ version: SESVersion) throws {
        let seal = try TestSeals.seal(version: version)
        #expect(seal.version == version)
        let signature = try TestSeals.signature(seal: seal)
        #expect(signature.version == version)
        let checks = SealVerifier.verify(
            signature: signature, signedData: .content(TestSeals.signatureXML), trust: TestSeals.pki.trustStore)
        for check in checks where check.name != SealCheckName.timestamp {
            #expect(check.status == .passed, "\(check.name): \(check.reason ?? "")")
        }
        #expect(Verdict(checks: checks).indication == .passed)
        let sealChecks = SealVerifier.verify(seal: seal, at: TestSeals.now, trust: TestSeals.pki.trustStore)
        #expect(Verdict(checks: sealChecks).indication == .passed)
    }

    @Test(arguments: [SESVersion.v4, .v1])
    func ourStructuresRoundTripByteIdentically(_ version: SESVersion) throws {
        let seal = try TestSeals.seal(version: version)
        let sealBytes = try seal.serializedBytes()
        #expect(sealBytes == Array(seal.derEncoded))
        #expect(try SESeal(bytes: sealBytes) == seal)
        let signature = try TestSeals.signature(seal: seal)
        #expect(try signature.serializedBytes() == Array(signature.derEncoded))
        #expect(try SESSignature(bytes: signature.derEncoded) == signature)
        #expect(Array(signature.seal.derEncoded) == Array(seal.derEncoded))
        // What we write is strict DER (swift-asn1's DER parser refuses anything else).
        _ = try DERCheck.parse(Array(signature.derEncoded))
    }

    @Test func digestCertificateListBindsTheSigner() throws {
        var builder = TestSeals.builder()
        builder.certificateListForm = .digests(.sm3)
        let seal = try builder.build(maker: TestSeals.pki.sealMaker.signer())
        #expect(seal.sealInfo.property.certListType == 2)
        let signature = try TestSeals.signature(seal: seal)
        let checks = SealVerifier.verify(signature: signature, signedData: .content(TestSeals.signatureXML))
        #expect(checks.named(SealCheckName.signerInSealCertList)?.status == .passed)
    }

    @Test func flippedPictureByteBreaksTheMakerSignature() throws {
        let seal = try TestSeals.seal()
        var bytes = Array(seal.derEncoded)
        let pictureOffset = try #require(Self.offset(of: Array(seal.picture.data.prefix(16)), in: bytes))
        bytes[pictureOffset + 100] ^= 0x01
        let tampered = try SESeal(bytes: bytes)
        let checks = SealVerifier.verify(seal: tampered, at: TestSeals.now)
        #expect(checks.named(SealCheckName.sealMakerSignature)?.status == .failed)
        #expect(checks.named(SealCheckName.sealMakerSignature)?.subIndication == .sigCryptoFailure)
    }

    @Test func flippedPictureByteInsideASignatureBreaksBothSignatures() throws {
        let signature = try TestSeals.signature(seal: TestSeals.seal())
        var bytes = Array(signature.derEncoded)
        let pictureOffset = try #require(Self.offset(of: Array(signature.seal.picture.data.prefix(16)), in: bytes))
        bytes[pictureOffset + 200] ^= 0x80
        let checks = SealVerifier.verify(
            signature: try SESSignature(bytes: bytes), signedData: .content(TestSeals.signatureXML))
        #expect(checks.named(SealCheckName.sealMakerSignature)?.subIndication == .sigCryptoFailure)
        #expect(checks.named(SealCheckName.signatureValue)?.subIndication == .sigCryptoFailure)
        #expect(checks.named(SealCheckName.dataHash)?.status == .passed)
    }

    @Test func flippedMakerSignatureByteFails() throws {
        let seal = try TestSeals.seal()
        var bytes = Array(seal.derEncoded)
        // The maker signature is the last element: flip a byte of s near the end.
        bytes[bytes.count - 3] ^= 0x01
        let checks = SealVerifier.verify(seal: try SESeal(bytes: bytes), at: TestSeals.now)
        #expect(checks.named(SealCheckName.sealMakerSignature)?.subIndication == .sigCryptoFailure)
        #expect(checks.named(SealCheckName.sealValidity)?.status == .passed)
    }

    /// A seal's maker signature that verified is remembered by the seal's bytes: a second verification reports the
    /// same check without verifying again, a seal differing in one byte is a different key and is checked, and a
    /// signature that failed is never remembered (it fails again, every time).
    @Test func aVerifiedMakerSignatureIsRememberedAndAFailureNever() throws {
        var builder = TestSeals.builder()
        builder.esID = "SP-MEMO-\(UInt32.random(in: 0...UInt32.max))"  // a seal no other test has verified
        let seal = try builder.build(maker: TestSeals.pki.sealMaker.signer())
        #expect(!SealMakerSignatures.isRemembered(seal))
        let first = SealVerifier.verify(seal: seal, at: TestSeals.now).named(SealCheckName.sealMakerSignature)
        #expect(first?.status == .passed)
        #expect(SealMakerSignatures.isRemembered(seal))
        let signature = try TestSeals.signature(seal: seal)
        let again = SealVerifier.verify(signature: signature, signedData: .content(TestSeals.signatureXML))
        #expect(again.named(SealCheckName.sealMakerSignature) == first)

        var bytes = Array(seal.derEncoded)
        bytes[bytes.count - 3] ^= 0x01
        let tampered = try SESeal(bytes: bytes)
        for _ in 0..<2 {
            let check = SealVerifier.verify(seal: tampered, at: TestSeals.now).named(SealCheckName.sealMakerSignature)
            #expect(check?.subIndication == .sigCryptoFailure)
            #expect(!SealMakerSignatures.isRemembered(tampered))
            #expect(throws: ElectronicSealError.self) { try SealPolicy.checkMakerSignature(tampered) }
        }
    }

    @Test func flippedDataHashByteFails() throws {
        let signature = try TestSeals.signature(seal: TestSeals.seal())
        var bytes = Array(signature.derEncoded)
        let hash = Array(signature.toSign.dataHash.bytes)
        let offset = try #require(Self.offset(of: hash, in: bytes))
        bytes[offset + 5] ^= 0x01
        let checks = SealVerifier.verify(
            signature: try SESSignature(bytes: bytes), signedData: .content(TestSeals.signatureXML))
        #expect(checks.named(SealCheckName.dataHash)?.subIndication == .hashFailure)
        #expect(checks.named(SealCheckName.signatureValue)?.subIndication == .sigCryptoFailure)
        #expect(checks.named(SealCheckName.sealMakerSignature)?.status == .passed)
    }

    @Test func changedContentFailsOnlyTheDataHash() throws {
        let signature = try TestSeals.signature(seal: TestSeals.seal())
        var content = TestSeals.signatureXML
        content[10] ^= 0x20
        let checks = SealVerifier.verify(signature: signature, signedData: .content(content))
        #expect(checks.named(SealCheckName.dataHash)?.subIndication == .hashFailure)
        #expect(checks.named(SealCheckName.signatureValue)?.status == .passed)
        let byDigest = SealVerifier.verify(
            signature: signature, signedData: .digest(Digest.hash(.sm3, TestSeals.signatureXML)))
        #expect(byDigest.named(SealCheckName.dataHash)?.status == .passed)
    }

    @Test func signerOutsideTheSealIsRefusedAndDetected() throws {
        let seal = try TestSeals.seal()
        let other = TestSeals.pki.sealMaker
        var builder = SealSignatureBuilder(
            seal: seal, dataHash: Digest.hash(.sm3, TestSeals.signatureXML), propertyInfo: "/Doc_0/Signs/Sign_0/Signature.xml")
        #expect(throws: ElectronicSealError(.signerNotInSeal, "")) { try builder.build(signer: other.signer()) }
        builder.skipPolicyChecks = true
        let signature = try builder.build(signer: other.signer())
        let checks = SealVerifier.verify(signature: signature, signedData: .content(TestSeals.signatureXML))
        #expect(checks.named(SealCheckName.signerInSealCertList)?.subIndication == .sigConstraintsFailure)
        #expect(checks.named(SealCheckName.signatureValue)?.status == .passed)
    }

    @Test func signingOutsideTheSealValidityIsRefusedAndDetected() throws {
        let seal = try TestSeals.seal()
        let late = TestSeals.now.addingTimeInterval(400 * 86_400)
        var builder = SealSignatureBuilder(
            seal: seal, dataHash: Digest.hash(.sm3, TestSeals.signatureXML), propertyInfo: "/Doc_0/Signs/Sign_0/Signature.xml")
        builder.signingTime = late
        #expect(throws: ElectronicSealError(.sealExpired, "")) { try builder.build(signer: TestSeals.pki.sm2Signer.signer()) }
        builder.skipPolicyChecks = true
        let signature = try builder.build(signer: TestSeals.pki.sm2Signer.signer())
        let checks = SealVerifier.verify(signature: signature, signedData: .content(TestSeals.signatureXML))
        let validity = checks.named(SealCheckName.sealValidityAtSigning)
        #expect(validity?.status == .indeterminate && validity?.subIndication == .outOfBoundsNoPOE)
    }

    @Test func signerWhoseKeyUsageForbidsSigningIsNotTrusted() throws {
        // An encryption-only certificate (keyUsage keyEncipherment) listed as the seal's signer.
        let key = try PrivateKey.generate(.sm2)
        var certificateBuilder = CertificateBuilder(
            subject: try .build(commonName: "Encryption only", organization: "Test", country: "CN"), publicKey: key.publicKey,
            notBefore: TestSeals.now.addingTimeInterval(-3600), notAfter: TestSeals.now.addingTimeInterval(86_400))
        certificateBuilder.keyUsage = [.keyEncipherment]
        let root = TestSeals.pki.sm2Root
        let certificate = try certificateBuilder.sign(issuer: root.certificate, signer: root.signer())
        let seal = try TestSeals.builder(signers: [certificate]).build(maker: TestSeals.pki.sealMaker.signer())
        let builder = SealSignatureBuilder(
            seal: seal, dataHash: Digest.hash(.sm3, TestSeals.signatureXML), propertyInfo: "/Doc_0/Signs/Sign_0/Signature.xml")
        let signature = try builder.build(signer: try SoftwareSigner(key: key, certificate: certificate))
        let checks = SealVerifier.verify(
            signature: signature, signedData: .content(TestSeals.signatureXML), trust: TestSeals.pki.trustStore)
        #expect(checks.named(SealCheckName.signatureValue)?.status == .passed)
        #expect(checks.named(SealCheckName.signerCertificateChain)?.subIndication == .chainConstraintsFailure)
    }

    @Test func builderRejectsWhatTheStandardDoesNotAllow() throws {
        var builder = TestSeals.builder()
        builder.name = " "
        #expect(throws: ElectronicSealError(.invalidParameter, "")) { try builder.sealInfo() }
        builder = TestSeals.builder()
        builder.esID = "印章"
        #expect(throws: ElectronicSealError(.invalidParameter, "")) { try builder.sealInfo() }
        builder = TestSeals.builder()
        builder.validEnd = builder.validStart
        #expect(throws: ElectronicSealError(.invalidParameter, "")) { try builder.sealInfo() }
        builder = TestSeals.builder()
        builder.signerCertificates = [[0x30, 0x00]]
        #expect(throws: ElectronicSealError(.invalidParameter, "")) { try builder.sealInfo() }
    }

    static func offset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<start + needle.count]) == needle { return start }
        }
        return nil
    }
}
