import Foundation
import SealCrypto

/// PAdES B-LT and B-LTA (ETSI EN 319 142-1 §5.4, §5.5): a Document Security Store with the certificates and
/// revocation data of every signature, then, for B-LTA, a document timestamp over the whole file followed by a
/// DSS update with the validation data of that timestamp's TSA (when the DSS lacks it). Each is its own
/// incremental update; earlier bytes are never touched, so every signature stays intact.
///
/// `extend` is also the archival renewal step (`sealpress ltv extend`): run before the last document
/// timestamp's TSA certificate expires, it adds fresh revocation data (also for that TSA) and a new timestamp.
public enum PDFLongTermValidation {
    /// Room reserved for a document timestamp token (hex-encoded twice over in the file).
    static let timestampReservation = 20_000

    /// The validation material of `document`, refused (`validationDataMissing`, `problem` first) when a
    /// certificate's revocation status could not be obtained.
    private static func completeMaterial(
        _ document: PDFDocument, checker: RevocationChecker, anchors: [Certificate], now: Date, for problem: String
    ) throws -> PDFValidationMaterial {
        let material = PDFValidationMaterial.gather(document, checker: checker, anchors: anchors, now: now)
        guard material.missing.isEmpty else {
            throw PDFStampError(.validationDataMissing, "\(problem): " + material.missing.prefix(4).joined(separator: "; "))
        }
        return material
    }

    /// Adds the validation material (``PDFValidationMaterial``) as a DSS and, for ``PDFLTVLevel/lta``, a document
    /// timestamp.
    ///
    /// - Throws: ``PDFStampError`` `validationDataMissing` when a certificate below an anchor has no obtainable
    ///   revocation status (the result could not be validated offline), `timestampFailed` when the TSA fails.
    public static func extend(
        _ bytes: [UInt8], level: PDFLTVLevel, checker: RevocationChecker, timestamper: (any TimeStampProvider)?,
        anchors: [Certificate] = [], password: String? = nil, now: Date = Date()
    ) throws -> [UInt8] {
        let document = try open(bytes, password: password)
        let material = try completeMaterial(
            document, checker: checker, anchors: anchors, now: now,
            for: "long-term validation needs a revocation status for every certificate")
        var output = try addDSS(document, material: material).bytes
        guard level == .lta else { return output }
        guard let timestamper else {
            throw PDFStampError(.timestampFailed, "a document timestamp (pades-b-lta) needs a time-stamping authority (--tsa URL)")
        }
        output = try addDocumentTimestamp(output, timestamper: timestamper, password: password)
        // The document timestamp's own TSA chain and revocation data (its TSA need not be a signature's, and a
        // B-B input has none): a DSS update after it, so the timestamp too validates from the file alone (a
        // validation at a later time, pyHanko's point-in-time AdES validation). Nothing is written when the DSS
        // already holds all of it.
        let stamped = try open(output, password: password)
        let more = try completeMaterial(
            stamped, checker: checker, anchors: anchors, now: now,
            for: "the document timestamp's TSA needs a revocation status for every certificate")
        if !more.isHeld(by: DocumentSecurityStore(document: stamped)) {
            output = try addDSS(stamped, material: more).bytes
        }
        return output
    }

    /// Writes `material` into the document's /DSS (existing entries are kept; equal items are not repeated).
    public static func addDSS(_ document: PDFDocument, material: PDFValidationMaterial) throws -> PDFWrittenUpdate {
        guard let rootRef = document.trailer["Root"]?.referenceValue,
            var catalog = try document.resolve(.reference(rootRef)).dictionaryValue
        else {
            throw PDFStampError(.unreadableDocument, "the trailer's /Root is not an indirect catalog")
        }
        let existing = DocumentSecurityStore(document: document)
        var dss = (try? document.resolveDictionary(catalog["DSS"])) ?? PDFDictionary()
        var update = PDFIncrementalUpdate(document: document)
        func append(_ key: PDFName, _ items: [[UInt8]], known: [[UInt8]]) throws {
            var array = (try document.resolve(dss[key] ?? .null)).arrayValue ?? []
            var seen = Set(known)
            for der in items where seen.insert(der).inserted {
                let stream = PDFStream(dictionary: ["Length": .integer(der.count)], rawData: der)
                array.append(.reference(update.add(.stream(stream))))
            }
            if !array.isEmpty { dss[key] = .array(array) }
        }
        try append("Certs", material.certificates.map(\.der), known: existing.certificates.map(\.der))
        try append("CRLs", material.revocation.crls.map(\.der), known: existing.revocation.crls.map(\.der))
        try append(
            "OCSPs", material.revocation.ocspResponses.map(\.der), known: existing.revocation.ocspResponses.map(\.der))
        dss["Type"] = .name("DSS")
        catalog["DSS"] = .reference(update.add(.dictionary(dss)))
        update.replace(rootRef, with: .dictionary(catalog))
        return try write(update)
    }

    private static func write(_ update: PDFIncrementalUpdate) throws -> PDFWrittenUpdate {
        do throws(PDFError) {
            return try update.write()
        } catch {
            throw PDFStampError(.unreadableDocument, "\(error.code): \(error.reason)")
        }
    }

    /// Adds a document timestamp (/Type /DocTimeStamp, /SubFilter /ETSI.RFC3161): an invisible signature field
    /// whose /Contents is an RFC 3161 token over the SHA-256 of the byte ranges.
    public static func addDocumentTimestamp(
        _ bytes: [UInt8], timestamper: any TimeStampProvider, password: String? = nil
    ) throws -> [UInt8] {
        let document = try open(bytes, password: password)
        let form = try SignatureFormState(document: document)
        if form.lockedByCertification {
            throw PDFStampError(.lockedByCertification, "a certification signature (DocMDP P=1) forbids a document timestamp")
        }
        let pages = try document.pages()
        guard let page = pages.first else { throw PDFStampError(.noSuchPage, "the document has no pages") }
        var number = 1
        while form.fieldNames.contains("DocTimeStamp\(number)") { number += 1 }
        let fieldName = "DocTimeStamp\(number)"
        var update = PDFIncrementalUpdate(document: document)
        let signatureRef = update.reserve()
        let appearance = update.add(.stream(SealAppearance.emptyFormStream()))
        let widget: PDFDictionary = [
            "Type": .name("Annot"), "Subtype": .name("Widget"), "FT": .name("Sig"),
            "T": .string(PDFString(text: fieldName)), "V": .reference(signatureRef), "F": .integer(132),
            "Rect": .array([0, 0, 0, 0]), "P": .reference(page.ref), "AP": .dictionary(["N": .reference(appearance)]),
        ]
        let fieldRef = update.add(.dictionary(widget))
        try form.addWidget(fieldRef, to: page, update: &update)
        let placeholder = SignatureDictionaryLayout.placeholderNumber
        let dictionary: PDFDictionary = [
            "Type": .name("DocTimeStamp"), "Filter": .name("Adobe.PPKLite"), "SubFilter": .name("ETSI.RFC3161"),
            "ByteRange": .array([0, .integer(placeholder), .integer(placeholder), .integer(placeholder)]),
            "Contents": .string(PDFString(bytes: [UInt8](repeating: 0, count: timestampReservation), isHex: true)),
        ]
        update.replace(signatureRef, with: .dictionary(dictionary), unencryptedKeys: ["Contents"])
        try form.addField(fieldRef, certification: nil, update: &update)
        var written = try write(update)
        guard let range = written.objectRanges[signatureRef] else {
            throw PDFStampError(.signingFailed, "the document timestamp dictionary was not written")
        }
        let layout = SignatureDictionaryLayout(
            format: .padesBB, contentsBytes: timestampReservation, signingTime: Date(), reason: nil, location: nil,
            contactInfo: nil, signerName: nil, certify: nil)
        let placeholders = try layout.locatePlaceholders(in: written, objectRange: range)
        try written.patch(at: placeholders.byteRangeText.lowerBound, with: placeholders.byteRangeValue(totalLength: written.count))
        let base = written.original.count
        var hasher = SealCrypto.Hasher(.sha256)
        hasher.update(written.original)
        hasher.update(written.appended[0..<(placeholders.contents.lowerBound - base)])
        hasher.update(written.appended[(placeholders.contents.upperBound - base)...])
        let token: [UInt8]
        do {
            token = try timestamper.timeStampToken(digest: hasher.finalize(), algorithm: .sha256)
        } catch {
            throw PDFStampError(.timestampFailed, "the time-stamping authority gave no token: \(error)")
        }
        guard token.count <= timestampReservation else {
            throw PDFStampError(.reservationTooSmall, "the timestamp token needs \(token.count) bytes")
        }
        try written.patch(at: placeholders.contents.lowerBound + 1, with: SignatureDictionaryLayout.hex(token))
        return written.bytes
    }

    private static func open(_ bytes: [UInt8], password: String?) throws -> PDFDocument {
        do throws(PDFError) {
            return try PDFDocument(bytes: bytes, options: PDFReadOptions(password: password, allowRepair: false))
        } catch {
            if error.code == .passwordRequired { throw PDFStampError(.encryptedNeedsPassword, "the document is encrypted: \(error.reason)") }
            if error.code == .wrongPassword { throw PDFStampError(.wrongPassword, "the document is encrypted and \(error.reason)") }
            throw PDFStampError(.unreadableDocument, "\(error.code): \(error.reason)")
        }
    }
}
