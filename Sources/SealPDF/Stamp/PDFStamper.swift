import Foundation
import SealCrypto

/// Stamps PDFs: adds a signature field + widget with the seal's picture and signs, as one incremental update.
///
/// Make one stamper per signer/format/picture and reuse it: the CMS framing, certificates and compressed
/// picture are prepared once in `init`, so each document costs one parse of its trailer/page tree, one digest
/// pass over its bytes and one private-key operation. A stamper is immutable and may be shared by threads.
///
/// ```swift
/// let stamper = try PDFStamper(request)
/// let signed = try stamper.stamp(pdfBytes)
/// ```
public struct PDFStamper: Sendable {
    public let request: PDFStampRequest
    private let container: SignatureContainerBuilder
    private let picture: SealImage?

    /// Prepares a stamper.
    ///
    /// - Throws: ``PDFStampError`` when the format does not fit the signer, the seal or picture is unusable,
    ///   or a B-T format has no timestamper.
    public init(_ request: PDFStampRequest) throws {
        self.request = request
        self.container = try SignatureContainerBuilder(request: request)
        if let image = request.image {
            picture = image
        } else if request.placement != nil || request.riding != nil, let sealPicture = container.sealPicture {
            do {
                picture = try SealImage(imageBytes: sealPicture)
            } catch {
                throw PDFStampError(.badImage, "the seal's picture cannot be drawn: \(error)")
            }
        } else {
            picture = nil
        }
    }

    /// Stamps a document and returns the whole signed file.
    public static func stamp(_ bytes: [UInt8], request: PDFStampRequest) throws -> [UInt8] {
        try PDFStamper(request).stamp(bytes)
    }

    /// Stamps a document and returns the whole signed file (input bytes followed by the update).
    public func stamp(_ bytes: [UInt8]) throws -> [UInt8] {
        let written = try stampUpdate(bytes)
        return written.bytes
    }

    /// Stamps a document and returns the written update; write ``PDFWrittenUpdate/original`` then
    /// ``PDFWrittenUpdate/appended`` to keep peak memory near the input size for very large files.
    public func stampUpdate(_ bytes: [UInt8]) throws -> PDFWrittenUpdate {
        let document: PDFDocument
        do throws(PDFError) {
            document = try PDFDocument(bytes: bytes, options: PDFReadOptions(password: request.password, allowRepair: false))
        } catch {
            if error.code == .passwordRequired {
                throw PDFStampError(.encryptedNeedsPassword, "the document is encrypted: \(error.reason)")
            }
            if error.code == .wrongPassword {
                throw PDFStampError(.wrongPassword, "the document is encrypted and \(error.reason)")
            }
            guard error.code == .xrefBroken || error.code == .malformed else {
                throw PDFStampError(.unreadableDocument, "\(error.code): \(error.reason)")
            }
            // A broken cross-reference may be rebuilt by scanning, but only for a document nobody has signed:
            // the update then carries a complete cross-reference of its own.
            do throws(PDFError) {
                document = try PDFDocument(bytes: bytes, options: PDFReadOptions(password: request.password, allowRepair: true))
            } catch {
                throw PDFStampError(.unreadableDocument, "\(error.code): \(error.reason)")
            }
        }
        return try stampUpdate(document)
    }

    /// Stamps an opened document (see ``stampUpdate(_:)-([UInt8])``).
    public func stampUpdate(_ document: PDFDocument) throws -> PDFWrittenUpdate {
        do {
            return try makeUpdate(document)
        } catch let error as PDFError {
            throw PDFStampError(.unreadableDocument, "\(error.code): \(error.reason)")
        }
    }

    /// True when the XMP metadata declares PDF/A-1 (`pdfaid:part` 1).
    static func isPDFA1(_ document: PDFDocument, catalog: PDFDictionary) throws -> Bool {
        guard let reference = catalog["Metadata"], case .stream(let stream) = try document.resolve(reference),
            let xmp = try? document.decodedData(of: stream)
        else { return false }
        let text = String(decoding: xmp.prefix(256 * 1024), as: UTF8.self)
        for marker in ["pdfaid:part='1'", "pdfaid:part=\"1\"", "<pdfaid:part>1</pdfaid:part>"] where text.contains(marker) {
            return true
        }
        return false
    }

    private func makeUpdate(_ document: PDFDocument) throws -> PDFWrittenUpdate {
        let form = try SignatureFormState(document: document)
        if document.wasRepaired && form.hasSignatures {
            throw PDFStampError(
                .unreadableDocument,
                "the cross-reference is broken and the document is already signed; a repair would invalidate its signatures")
        }
        if form.lockedByCertification {
            throw PDFStampError(.lockedByCertification, "a certification signature (DocMDP P=1) forbids further signatures")
        }
        if form.certification != nil && (request.placement != nil || request.riding != nil) && picture != nil {
            throw PDFStampError(
                .lockedByCertification,
                "a certified document accepts only invisible signatures (a visible one could cover certified content)")
        }
        if request.certify != nil && form.hasSignatures {
            throw PDFStampError(.lockedByCertification, "a certification signature must be the document's first signature")
        }
        let fieldName = try form.chooseFieldName(request.fieldName)
        let pages = try document.pages()
        guard !pages.isEmpty else { throw PDFStampError(.noSuchPage, "the document has no pages") }

        var update = PDFIncrementalUpdate(document: document)
        let signatureRef = update.reserve()
        var layout = SignatureDictionaryLayout(
            format: request.format, contentsBytes: container.reservation, signingTime: request.signingTime,
            reason: request.reason, location: request.location, contactInfo: request.contactInfo,
            signerName: request.signer.certificate?.subjectName.commonName, certify: request.certify)
        layout.lockedFields = request.lockedFields
        var fieldLock: PDFDictionary?
        if let lock = layout.fieldLock {
            var dictionary = lock
            dictionary["Type"] = .name("SigFieldLock")
            dictionary["V"] = nil
            fieldLock = dictionary
        }
        let fieldRef: PDFReference
        if let riding = request.riding, let picture {
            fieldRef = try addRidingSeal(
                riding, picture: picture, pages: pages, document: document, form: form, fieldName: fieldName,
                signatureRef: signatureRef, fieldLock: fieldLock, update: &update)
        } else {
            let page = try Self.page(request.placement?.page ?? .last, of: pages)
            let rect: PDFObject
            let appearance: PDFReference
            if let placement = request.placement, var picture {
                if picture.softMask != nil, try Self.isPDFA1(document, catalog: form.catalog) {
                    do {
                        picture = try picture.flattenedOnWhite()  // PDF/A-1 forbids soft masks
                    } catch {
                        throw PDFStampError(.badImage, "the seal picture cannot be flattened: \(error)")
                    }
                }
                let crop = page.cropBox
                let geometry = try PlacementGeometry.compute(
                    placement, cropBox: [crop.llx, crop.lly, crop.urx, crop.ury], rotate: page.rotate,
                    aspectRatio: picture.aspectRatio)
                let drawing = SealAppearance(image: picture)
                let mask = drawing.softMaskStream.map { update.add(.stream($0)) }
                let image = update.add(.stream(drawing.imageStream(softMask: mask)))
                appearance = update.add(.stream(SealAppearance.formStream(geometry: geometry, image: image)))
                rect = .array(geometry.rect.map { .real($0) })
            } else {
                appearance = update.add(.stream(SealAppearance.emptyFormStream()))
                rect = .array([0, 0, 0, 0])
            }
            var widget: PDFDictionary = [
                "Type": .name("Annot"), "Subtype": .name("Widget"), "FT": .name("Sig"),
                "T": .string(PDFString(text: fieldName)), "V": .reference(signatureRef),
                "F": .integer(132),  // Print + Locked
                "Rect": rect, "P": .reference(page.ref), "AP": .dictionary(["N": .reference(appearance)]),
            ]
            if let fieldLock { widget["Lock"] = .dictionary(fieldLock) }
            fieldRef = update.add(.dictionary(widget))
            try form.addWidget(fieldRef, to: page, update: &update)
        }
        update.replace(signatureRef, with: .dictionary(layout.dictionary()), unencryptedKeys: ["Contents"])
        try form.addField(fieldRef, certification: request.certify.map { _ in signatureRef }, update: &update)

        var written = try update.write()
        guard let range = written.objectRanges[signatureRef] else {
            throw PDFStampError(.signingFailed, "the signature dictionary was not written")
        }
        let placeholders = try layout.locatePlaceholders(in: written, objectRange: range)
        try written.patch(at: placeholders.byteRangeText.lowerBound, with: placeholders.byteRangeValue(totalLength: written.count))

        // One pass over the signed bytes: the original file, then the update around the /Contents gap.
        let base = written.original.count
        let gapStart = placeholders.contents.lowerBound - base
        let gapEnd = placeholders.contents.upperBound - base
        var hasher = SealCrypto.Hasher(container.digest)
        hasher.update(written.original)
        hasher.update(written.appended[0..<gapStart])
        hasher.update(written.appended[gapEnd...])
        let digest = hasher.finalize()

        let signature = try container.build(contentDigest: digest, signingTime: request.signingTime)
        guard signature.count <= container.reservation else {
            throw PDFStampError(
                .reservationTooSmall, "the signature needs \(signature.count) bytes but \(container.reservation) were reserved")
        }
        try written.patch(at: placeholders.contents.lowerBound + 1, with: SignatureDictionaryLayout.hex(signature))
        return written
    }

    /// The page a ``PDFPlacement/Page`` names.
    static func page(_ choice: PDFPlacement.Page, of pages: [PDFPage]) throws -> PDFPage {
        switch choice {
        case .last: return pages[pages.count - 1]
        case .number(let number):
            guard number >= 1, number <= pages.count else {
                throw PDFStampError(.noSuchPage, "page \(number) does not exist (the document has \(pages.count))")
            }
            return pages[number - 1]
        }
    }

    /// Adds a riding seal: the picture once, one field (FT Sig, /V the signature) and one widget per selected page
    /// as its /Kids, each widget's appearance showing its slice. Returns the field.
    private func addRidingSeal(
        _ riding: PDFRidingSeal, picture: SealImage, pages: [PDFPage], document: PDFDocument, form: SignatureFormState,
        fieldName: String, signatureRef: PDFReference, fieldLock: PDFDictionary?, update: inout PDFIncrementalUpdate
    ) throws -> PDFReference {
        var picture = picture
        if picture.softMask != nil, try Self.isPDFA1(document, catalog: form.catalog) {
            do {
                picture = try picture.flattenedOnWhite()  // PDF/A-1 forbids soft masks
            } catch {
                throw PDFStampError(.badImage, "the seal picture cannot be flattened: \(error)")
            }
        }
        let sizes = pages.map { page -> (width: Double, height: Double) in
            let crop = page.cropBox
            let width = abs(crop.urx - crop.llx), height = abs(crop.ury - crop.lly)
            return ((page.rotate / 90) % 2 == 0) ? (width, height) : (height, width)
        }
        let slices = try riding.slices(displayedSizes: sizes, aspectRatio: picture.aspectRatio)
        let drawing = SealAppearance(image: picture)
        let mask = drawing.softMaskStream.map { update.add(.stream($0)) }
        let image = update.add(.stream(drawing.imageStream(softMask: mask)))
        let fieldRef = update.reserve()
        var kids: [PDFObject] = []
        for slice in slices {
            let page = pages[slice.pageIndex]
            let crop = page.cropBox
            let geometry = try PlacementGeometry.compute(
                slice.placement, cropBox: [crop.llx, crop.lly, crop.urx, crop.ury], rotate: page.rotate,
                aspectRatio: picture.aspectRatio)
            let appearance = update.add(
                .stream(
                    SealAppearance.sliceFormStream(
                        geometry: geometry, image: image, imageSize: slice.imageSize, offset: slice.imageOffset)))
            // No /Parent: poppler (pdfsig) reads a kid that has one as a sub-field of its own (a second, unsigned
            // signature); readers find each widget through the field's /Kids and its page's /Annots.
            let widget: PDFDictionary = [
                "Type": .name("Annot"), "Subtype": .name("Widget"),
                "F": .integer(132),  // Print + Locked
                "Rect": .array(geometry.rect.map { .real($0) }), "P": .reference(page.ref),
                "AP": .dictionary(["N": .reference(appearance)]),
            ]
            let widgetRef = update.add(.dictionary(widget))
            kids.append(.reference(widgetRef))
            try form.addWidget(widgetRef, to: page, update: &update)
        }
        var field: PDFDictionary = [
            "FT": .name("Sig"), "T": .string(PDFString(text: fieldName)), "V": .reference(signatureRef),
            "Kids": .array(kids),
        ]
        if let fieldLock { field["Lock"] = .dictionary(fieldLock) }
        update.replace(fieldRef, with: .dictionary(field))
        return fieldRef
    }
}
