import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing

@testable import SealPDF

/// The attack classes of the PDF-signature literature (shadow hide / replace / hide-and-replace, incremental
/// saving, signature wrapping, universal forgery) built against our own output: none may pass.
@Suite(.serialized) struct VerifyAttackClassTests {
    static var signed: [UInt8] { VerifyTamperTests.signed }

    static func verdict(_ bytes: [UInt8], password: String? = nil) -> VerificationReport {
        PDFVerifier.verify(bytes, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore, password: password))
    }

    @Test func shadowHideWithANewAnnotationFails() throws {
        let bytes = try VerifyTamperTests.update { document, update in
            let page = try VerifyTamperTests.firstPage(document)
            let square = update.add(.dictionary([
                "Type": .name("Annot"), "Subtype": .name("Square"), "Rect": .array([0, 0, 600, 800]),
                "IC": .array([1, 1, 1]), "F": 4,
            ]))
            var dictionary = page.dictionary
            dictionary["Annots"] = .array((try document.resolve(dictionary["Annots"] ?? .null).arrayValue ?? []) + [.reference(square)])
            update.replace(page.ref, with: .dictionary(dictionary))
        }
        let report = Self.verdict(bytes)
        #expect(report.indication == .failed)
        #expect(report.verdict.reasons.joined().contains("Square"), "\(report.verdict.reasons)")
        if let accepted = try VerifyTamperTests.pyhankoAccepts(bytes) { #expect(!accepted) }
    }

    @Test func shadowHideAndReplaceWithANewCatalogFails() throws {
        let bytes = try VerifyTamperTests.update { document, update in
            var catalog = try document.catalog
            let page = update.add(.dictionary(["Type": .name("Page"), "MediaBox": .array([0, 0, 595, 842])]))
            let pages = update.add(.dictionary(["Type": .name("Pages"), "Kids": .array([.reference(page)]), "Count": 1]))
            catalog["Pages"] = .reference(pages)
            let newRoot = update.add(.dictionary(catalog))
            update.setTrailerEntries(["Root": .reference(newRoot)])
        }
        let report = Self.verdict(bytes)
        #expect(report.indication == .failed)
        #expect(report.verdict.reasons.joined().contains("/Pages"), "\(report.verdict.reasons)")
        if let accepted = try VerifyTamperTests.pyhankoAccepts(bytes) { #expect(!accepted) }
    }

    @Test func redefinedSignatureDictionaryFails() throws {
        // Signature wrapping through an update: the field's signature dictionary is redefined with other ranges.
        let bytes = try VerifyTamperTests.update { document, update in
            let field = SignatureFieldLocator.signatureFields(document)[0]
            var dictionary = field.signature
            dictionary["Reason"] = .string(PDFString(text: "approved by someone else"))
            update.replace(try #require(field.signatureRef), with: .dictionary(dictionary), unencryptedKeys: ["Contents"])
        }
        #expect(Self.verdict(bytes).indication == .failed)
    }

    /// Universal signature forgery: signature dictionaries whose values are missing, empty or zero.
    @Test(arguments: ["noByteRange", "nullContents", "emptyContents", "zeroContents", "wholeFileRange", "threeRanges"])
    func universalForgeryVariantsNeverPass(_ variant: String) throws {
        let input = try SignFixtures.corpus("sf-libreoffice-writer.pdf")
        let document = try PDFDocument(bytes: input)
        var update = PDFIncrementalUpdate(document: document)
        var signature: PDFDictionary = [
            "Type": .name("Sig"), "Filter": .name("Adobe.PPKLite"), "SubFilter": .name("ETSI.CAdES.detached"),
            "ByteRange": .array([0, 10, 20, 30]), "Contents": .string(PDFString(bytes: [0x30, 0x00], isHex: true)),
        ]
        switch variant {
        case "noByteRange": signature["ByteRange"] = nil
        case "nullContents": signature["Contents"] = .null
        case "emptyContents": signature["Contents"] = .string(PDFString(bytes: [], isHex: true))
        case "zeroContents": signature["Contents"] = .string(PDFString(bytes: [UInt8](repeating: 0, count: 64), isHex: true))
        case "wholeFileRange": signature["ByteRange"] = .array([0, .integer(input.count), 0, 0])
        default: signature["ByteRange"] = .array([0, 10, 20, 5, 30, 5])
        }
        let sigRef = update.add(.dictionary(signature))
        let page = try document.pages()[0]
        let widget = update.add(.dictionary([
            "Type": .name("Annot"), "Subtype": .name("Widget"), "FT": .name("Sig"), "T": .string(PDFString(text: "Forged")),
            "V": .reference(sigRef), "Rect": .array([0, 0, 0, 0]), "P": .reference(page.ref),
        ]))
        var catalog = try document.catalog
        catalog["AcroForm"] = .dictionary(["Fields": .array([.reference(widget)]), "SigFlags": 3])
        update.replace(try #require(document.trailer["Root"]?.referenceValue), with: .dictionary(catalog))
        let bytes = try update.write().bytes
        let report = Self.verdict(bytes)
        #expect(report.signatures.count == 1)
        #expect(report.indication == .failed, "\(variant): \(report.signatures.first?.checks ?? [])")
    }

    @Test func encryptedOutputVerifiesWithItsPassword() throws {
        let input = try SignFixtures.corpus("pdfbox-PasswordSample-256bit.pdf")
        let signed = try PDFStamper.stamp(input, request: SignFixtures.request(try SignFixtures.rsaSigner(), password: "user"))
        let report = Self.verdict(signed, password: "user")
        #expect(report.indication == .passed, "\(report.signatures.map(\.checks)) \(report.documentChecks)")
        #expect(Self.verdict(signed).indication != .passed)  // no password: cannot be judged
    }
}

/// The "sneaky signature" trick: an empty signature field with a visible appearance added after signing.
@Suite(.serialized) struct VerifySneakySignatureTests {
    static func addField(visible: Bool) throws -> [UInt8] {
        try VerifyTamperTests.update { document, update in
            let page = try VerifyTamperTests.firstPage(document)
            let appearance = update.add(VerifyTamperTests.overlay)
            let widget = update.add(.dictionary([
                "Type": .name("Annot"), "Subtype": .name("Widget"), "FT": .name("Sig"),
                "T": .string(PDFString(text: "Later")), "P": .reference(page.ref), "F": 4,
                "Rect": visible ? .array([0, 0, 500, 700]) : .array([0, 0, 0, 0]),
                "AP": .dictionary(["N": .reference(appearance)]),
            ]))
            var dictionary = page.dictionary
            dictionary["Annots"] = .array((try document.resolve(dictionary["Annots"] ?? .null).arrayValue ?? []) + [.reference(widget)])
            update.replace(page.ref, with: .dictionary(dictionary))
            let catalog = try document.catalog
            let formRef = try #require(catalog["AcroForm"]?.referenceValue)
            var form = try #require(try document.object(formRef).dictionaryValue)
            form["Fields"] = .array((try document.resolve(form["Fields"] ?? .null).arrayValue ?? []) + [.reference(widget)])
            update.replace(formRef, with: .dictionary(form))
        }
    }

    @Test func visibleEmptySignatureFieldAddedLaterFails() throws {
        let report = VerifyAttackClassTests.verdict(try Self.addField(visible: true))
        #expect(report.indication == .failed)
        #expect(report.verdict.reasons.joined().contains("unsigned signature field"), "\(report.verdict.reasons)")
    }

    @Test func invisibleEmptySignatureFieldAddedLaterIsAllowed() throws {
        let report = VerifyAttackClassTests.verdict(try Self.addField(visible: false))
        #expect(report.indication == .passed, "\(report.verdict.reasons)")
    }
}
