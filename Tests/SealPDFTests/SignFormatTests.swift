import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing

@testable import SealPDF

/// SM2 CMS and GB/T 38540 SES signatures in PDFs: the independent SM2 checker and our verifier accept them.
@Suite(.serialized) struct SignFormatTests {
    /// A seal for the SM2 signer, made by the demo seal maker, with our red seal picture.
    static func sealBytes() throws -> [UInt8] {
        let now = Date()
        let builder = SealBuilder(
            name: "某某市市场监督管理局合同专用章", type: 1, esID: "SP-PDF-0001",
            picture: SESPictureInfo(type: "PNG", data: try SignFixtures.image("seal-400.png"), widthMM: 40, heightMM: 40),
            signerCertificates: [SignFixtures.pki.sm2Signer.certificate.der],
            validStart: now.addingTimeInterval(-3600), validEnd: now.addingTimeInterval(365 * 86_400))
        return try builder.build(maker: SignFixtures.pki.sealMaker.signer()).serializedBytes()
    }

    static func sm2Check(_ bytes: [UInt8]) throws -> (status: Int32, output: String)? {
        guard let tool = TestEnvironment.sharedTool("sm2_pdf_verify.py"),
            TestEnvironment.peerAvailable("sm2_pdf_verify.py", TestEnvironment.pythonHasModules(["asn1crypto", "gmssl"])),
            let python = TestEnvironment.executable("python3")
        else {
            _ = TestEnvironment.peerAvailable("sm2_pdf_verify.py", false)
            return nil
        }
        let result = try TestEnvironment.run(python, [tool.path, try SignFixtures.write(bytes).path])
        return (result.status, result.stdout + result.stderr)
    }

    @Test(arguments: [true, false])
    func sm2CMSPassesTheIndependentChecker(_ gmtOIDs: Bool) throws {
        let signed = try PDFStamper.stamp(
            try SignFixtures.corpus("sf-minimal-document.pdf"),
            request: SignFixtures.request(try SignFixtures.sm2Signer(), format: .sm2(gmtOIDs: gmtOIDs)))
        if let result = try Self.sm2Check(signed) {
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("INTACT"))
            #expect(result.output.contains(gmtOIDs ? "1.2.156.10197.6.1.4.2.2" : "1.2.840.113549.1.7.2"), "\(result.output)")
            #expect(result.output.contains("gmssl=True"), "\(result.output)")
        }
        let report = PDFVerifier.verify(signed, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
        #expect(report.indication == .passed, "\(report.signatures.map(\.checks))")
        #expect(report.signatures.first?.format == "pdf.sm2")
        #expect(report.signatures.first?.algorithm == "SM2-SM3")
    }

    @Test func tamperedSM2SignatureFailsBothCheckers() throws {
        var signed = try PDFStamper.stamp(
            try SignFixtures.corpus("sf-libreoffice-writer.pdf"),
            request: SignFixtures.request(try SignFixtures.sm2Signer(), format: .sm2()))
        signed[400] ^= 0x02
        if let result = try Self.sm2Check(signed) { #expect(result.status != 0, "\(result.output)") }
        #expect(PDFVerifier.verify(signed).indication == .failed)
    }

    @Test func sesSealSignatureVerifiesWithTheSealChecks() throws {
        let seal = try Self.sealBytes()
        // No --image: the seal's own picture is drawn.
        var request = SignFixtures.request(try SignFixtures.sm2Signer(), format: .ses(seal: seal))
        request.image = nil
        let signed = try PDFStamper.stamp(try SignFixtures.corpus("sf-libreoffice-writer.pdf"), request: request)
        let report = PDFVerifier.verify(signed, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
        let signature = try #require(report.signatures.first)
        #expect(signature.format == "pdf.ses")
        #expect(signature.sealID == "SP-PDF-0001")
        #expect(report.indication == .passed, "\(signature.checks)")
        // The SES_Signature inside passes the seal module's own §7.3 checks over SM3 of the byte ranges.
        #expect(signature.checks.contains { $0.name == SealCheckName.signatureValue && $0.status == .passed })
        #expect(signature.checks.contains { $0.name == SealCheckName.sealMakerSignature && $0.status == .passed })
        // The picture was drawn: an image XObject with a soft mask is in the update.
        let update = Array(signed[(try SignFixtures.corpus("sf-libreoffice-writer.pdf").count)...])
        #expect(SignatureDictionaryLayout.find(Array("/SMask".utf8), in: update, from: 0, to: update.count) != nil)

        var tampered = signed
        tampered[300] ^= 0x01
        #expect(PDFVerifier.verify(tampered, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore)).indication == .failed)
    }

    @Test func certificationForbidsLaterSignaturesAndChanges() throws {
        let certified = try PDFStamper.stamp(
            try SignFixtures.corpus("sf-minimal-document.pdf"),
            request: SignFixtures.request(try SignFixtures.rsaSigner(), certify: .noChanges))
        #expect(PDFVerifier.verify(certified, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore)).indication == .passed)
        #expect(throws: PDFStampError(.lockedByCertification, "")) {
            try PDFStamper.stamp(certified, request: SignFixtures.request(try SignFixtures.ecdsaSigner()))
        }
        if TestEnvironment.peerAvailable("pyhanko", PDFPeers.pyhanko != nil) {
            let result = try PDFPeers.pyhankoValidate(try SignFixtures.write(certified), trust: try SignFixtures.rootPEM())
            #expect(result.status == 0 && result.lines.first?.contains(":INTACT:TRUSTED,UNTOUCHED") == true, "\(result.lines)")
        }
    }

    @Test func sizingErrorsAreTypedNotPatchedOver() throws {
        #expect(throws: PDFStampError(.unsupportedFormat, "")) {
            try PDFStamper(SignFixtures.request(try SignFixtures.rsaSigner(), format: .sm2()))
        }
        #expect(throws: PDFStampError(.unsupportedFormat, "")) {
            try PDFStamper(SignFixtures.request(try SignFixtures.rsaSigner(), format: .padesBT))
        }
        #expect(throws: PDFStampError(.noSuchPage, "")) {
            try PDFStamper.stamp(
                try SignFixtures.corpus("sf-minimal-document.pdf"),
                request: SignFixtures.request(try SignFixtures.rsaSigner(), page: .number(9)))
        }
    }
}

/// PAdES B-T: a signature timestamp from an in-process TSA, judged by pyHanko and by our verifier.
@Suite(.serialized) struct SignTimestampTests {
    @Test func padesBTCarriesATrustedSignatureTimestamp() throws {
        let tsa = try LocalTimeStampAuthority(signer: try SignFixtures.pki.tsa.signer())
        var request = SignFixtures.request(try SignFixtures.rsaSigner(), format: .padesBT)
        request.timestamper = tsa
        let signed = try PDFStamper.stamp(try SignFixtures.corpus("sf-minimal-document.pdf"), request: request)
        let report = PDFVerifier.verify(signed, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
        let signature = try #require(report.signatures.first)
        #expect(signature.timestamped, "\(signature.checks)")
        #expect(report.indication == .passed, "\(signature.checks)")
        if TestEnvironment.peerAvailable("pyhanko", PDFPeers.pyhanko != nil) {
            let result = try PDFPeers.pyhankoValidate(try SignFixtures.write(signed), trust: try SignFixtures.rootPEM())
            // SealCrypto's TSA writes SignedData version 1 around TSTInfo (RFC 5652 §5.1 wants 3 when the
            // eContentType is not id-data); asn1crypto then reads it as PKCS#7 and pyHanko rejects the token.
            withKnownIssue("SealCrypto TSA tokens: SignedData version 1 instead of 3") {
                #expect(result.lines.first?.contains("TIMESTAMP_TOKEN<INTACT:TRUSTED>") == true, "\(result.lines) \(result.stderr.suffix(300))")
                #expect(result.lines.first?.hasSuffix("UNTOUCHED") == true)
            }
        }
    }
}

/// DocMDP P=2: later approval signatures are allowed (pyHanko agrees), page changes are not.
@Suite(.serialized) struct SignCertificationTests {
    @Test func certifiedFormFillingDocumentAcceptsALaterInvisibleApprovalSignature() throws {
        var bytes = try PDFStamper.stamp(
            try SignFixtures.corpus("sf-libreoffice-form.pdf"),
            request: SignFixtures.request(try SignFixtures.rsaSigner(), certify: .formFillingAndSigning))
        let certified = bytes
        #expect(throws: PDFStampError(.lockedByCertification, "")) {
            _ = try PDFStamper.stamp(certified, request: SignFixtures.request(try SignFixtures.ecdsaSigner(), page: .number(1)))
        }
        bytes = try PDFStamper.stamp(bytes, request: SignFixtures.request(try SignFixtures.ecdsaSigner(), visible: false))
        let report = PDFVerifier.verify(bytes, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
        #expect(report.indication == .passed, "\(report.verdict.reasons)")
        if TestEnvironment.peerAvailable("pyhanko", PDFPeers.pyhanko != nil) {
            let result = try PDFPeers.pyhankoValidate(try SignFixtures.write(bytes), trust: try SignFixtures.rootPEM())
            #expect(result.status == 0, "\(result.lines) \(result.stderr.suffix(300))")
            #expect(result.lines.count == 2 && result.lines.allSatisfy { !$0.contains("ILLEGAL") }, "\(result.lines)")
        }
    }
}

/// FieldMDP: fields locked by a signature may not be filled in later; the others may.
@Suite(.serialized) struct SignFieldLockTests {
    /// Fills the text field `name` with `value` in a new revision.
    static func fill(_ bytes: [UInt8], field name: String, value: String) throws -> [UInt8] {
        let document = try PDFDocument(bytes: bytes)
        var update = PDFIncrementalUpdate(document: document)
        let form = try #require(try document.resolveDictionary(try document.catalog["AcroForm"]))
        for item in try document.resolve(form["Fields"] ?? .null).arrayValue ?? [] {
            guard let ref = item.referenceValue, var field = try document.object(ref).dictionaryValue,
                field["T"]?.stringValue?.text == name
            else { continue }
            field["V"] = .string(PDFString(text: value))
            update.replace(ref, with: .dictionary(field))
        }
        return try update.write().bytes
    }

    @Test func lockedFieldChangeFailsUnlockedFieldChangeIsAllowed() throws {
        var request = SignFixtures.request(try SignFixtures.rsaSigner())
        request.lockedFields = ["First Name"]
        let signed = try PDFStamper.stamp(try SignFixtures.corpus("sf-libreoffice-form.pdf"), request: request)
        let options = PDFVerifyOptions(trust: SignFixtures.pki.trustStore)
        #expect(PDFVerifier.verify(signed, options: options).indication == .passed)

        let lockedChange = try Self.fill(signed, field: "First Name", value: "Mallory")
        let report = PDFVerifier.verify(lockedChange, options: options)
        #expect(report.indication == .failed)
        #expect(report.verdict.reasons.joined().contains("locked"), "\(report.verdict.reasons)")

        let freeChange = try Self.fill(signed, field: "Last Name", value: "Zhang")
        #expect(PDFVerifier.verify(freeChange, options: options).indication == .passed)

        if TestEnvironment.peerAvailable("pyhanko", PDFPeers.pyhanko != nil) {
            let locked = try PDFPeers.pyhankoValidate(try SignFixtures.write(lockedChange), trust: try SignFixtures.rootPEM())
            #expect(locked.status != 0, "\(locked.lines)")
            let free = try PDFPeers.pyhankoValidate(try SignFixtures.write(freeChange), trust: try SignFixtures.rootPEM())
            // pyHanko 0.38 also blames the locked "First Name" (its appearance object 39) when only "Last Name"
            // (object 6) changed in this LibreOffice form; the update holds object 6 alone.
            withKnownIssue("pyHanko attributes the unlocked field's update to the locked field in this form") {
                #expect(free.status == 0, "\(free.lines) \(free.stderr.suffix(300))")
            }
        }
    }
}
