import Foundation
import SealCrypto
import Testing

@testable import SealPDF

/// What `ltv extend` gathers for a DSS, independent of any network: every signature's chain.
@Suite struct ValidationMaterialTests {
    /// The /Contents of the document's first signature field, decoded (zero padding included).
    static func contents(_ bytes: [UInt8]) throws -> [UInt8] {
        let fields = SignatureFieldLocator.signatureFields(try PDFDocument(bytes: bytes))
        return try #require(fields.first?.signature["Contents"]?.stringValue?.bytes)
    }

    /// A CMS whose own last byte is 0x00 (one ECDSA signature in 256) is read whole: stripping the reservation's
    /// zero padding byte by byte used to cut into it, the signature was skipped, and the DSS lacked its signer's
    /// chain and revocation data while `ltv extend` reported success (a flaky B-LTA test found it).
    @Test func aSignatureEndingInAZeroByteIsGathered() throws {
        let identity = SignFixtures.pki.ecdsaSigner
        let signer = try SignFixtures.ecdsaSigner()
        var found: [UInt8]?
        for _ in 0..<4096 {
            let signed = try PDFStamper.stamp(
                try SignFixtures.corpus("sf-minimal-document.pdf"), request: SignFixtures.request(signer, visible: false))
            let contents = try Self.contents(signed)
            let length = try #require(EncodedLength.ofFirstElement(contents))
            if contents[length - 1] == 0 {
                found = signed
                break
            }
        }
        let signed = try #require(found, "no ECDSA signature ending in 0x00 in 4,096 tries")
        let material = PDFValidationMaterial.gather(
            try PDFDocument(bytes: signed), checker: RevocationChecker(fetcher: nil), anchors: [identity.root])
        #expect(material.certificates.contains(identity.certificate), "\(material.missing)")
        #expect(material.certificates.contains(identity.root))
        // Offline, the signer's status cannot be had: said, not silently dropped.
        #expect(material.missing.contains { $0.hasSuffix(": offline") }, "\(material.missing)")
    }

    /// /Contents that is no CMS at all is a gap `ltv extend` reports (validationDataMissing), not a skipped field.
    @Test func anUnreadableSignatureIsReportedMissing() throws {
        let signed = try PDFStamper.stamp(
            try SignFixtures.corpus("sf-minimal-document.pdf"),
            request: SignFixtures.request(try SignFixtures.ecdsaSigner(), visible: false))
        // The first hex digits of /Contents (just after the gap's "<") overwritten in place: the byte range and
        // every offset stay as they were, the CMS is gone.
        let fields = SignatureFieldLocator.signatureFields(try PDFDocument(bytes: signed))
        let numbers = fields.first?.signature["ByteRange"]?.arrayValue?.compactMap { $0.integerValue } ?? []
        let range = try #require(numbers.count == 4 ? numbers : nil)
        var broken = signed
        #expect(broken[range[1]] == UInt8(ascii: "<"))
        for index in (range[1] + 1)...(range[1] + 16) { broken[index] = UInt8(ascii: "7") }
        let material = PDFValidationMaterial.gather(
            try PDFDocument(bytes: broken), checker: RevocationChecker(fetcher: nil))
        #expect(material.missing.contains { $0.contains("cannot be read as CMS") }, "\(material.missing)")
        #expect(throws: PDFStampError.self) {
            _ = try PDFLongTermValidation.extend(broken, level: .lt, checker: RevocationChecker(fetcher: nil), timestamper: nil)
        }
    }
}
