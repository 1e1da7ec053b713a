import ElectronicSeal
import Foundation
import SealCrypto
import SealNetClient
import SealOFD
import SealPDF
import SealQueue
import SealReport
import SealWorker

/// Applies a pipeline to one document with one signer: PDF gets one signature per placed page (each an
/// incremental update), OFD one signature carrying every placement. Returns the signed bytes and, per
/// signature, what the usage log records.
struct StampEngine {
    /// One signature made: the document before and after it, and its timestamp token hash. Signatures are chained:
    /// each one's `before` is the previous one's `after`, and the last `after` is the engine's output.
    struct Signature: Sendable {
        var format: String
        var before: [UInt8]
        var after: [UInt8]
        var timestampTokenSHA256: String?
    }

    let pipeline: Pipeline
    let signer: any Signer
    let seal: SealMaterialCache.SealMaterial
    let signingTime: Date
    /// Shared prepared stampers (nil: prepare one per signature).
    var stamperCache: PDFStamperCache? = nil
    /// The password of an encrypted PDF input (from the pipeline's password_ref); the output keeps its encryption.
    var password: String? = nil

    func stamp(_ bytes: [UInt8], format: DocumentFormat) throws -> (output: [UInt8], signatures: [Signature]) {
        switch format {
        case .pdf: return try stampPDF(bytes)
        case .ofd: return try stampOFD(bytes)
        }
    }

    private func timestamper() -> TokenRecorder? {
        pipeline.tsaURL.map { TokenRecorder(TimeStampClient(url: $0)) }
    }

    // MARK: - PDF

    private func stampPDF(_ bytes: [UInt8]) throws -> (output: [UInt8], signatures: [Signature]) {
        // Opened once (page count, first signature); a broken cross-reference is repaired only when the pipeline
        // says `allow_repair: true`.
        var document = try PDFRepairPolicy.open(
            bytes, password: password, allowRepair: pipeline.allowRepair, howToAllow: "set allow_repair: true in the pipeline")
        // A repaired input nobody has signed is written out in full (fresh cross-reference) before it is signed:
        // no update on top of broken bytes. A signed one is refused there; an encrypted one stays incremental.
        if let clean = try PDFRewrite.cleanCopy(ofRepaired: document) { document = clean }
        if pipeline.maxPages != nil { try checkPageCount(try document.pages().count) }
        // Fixed and keyword placements (one signature each), then riding seals (one signature each).
        let placements: [(placement: PDFPlacement?, riding: PDFRidingSeal?)] =
            try pdfPlacements(document).map { ($0, nil) }
            + pipeline.placements.compactMap(PlacementGeometry.pdfRiding).map { (nil, $0) }
        guard !placements.isEmpty else { throw PDFStampError(.noSuchPage, "the document has no page to stamp") }
        let format: SealPDF.PDFSignatureFormat = switch pipeline.pdfFormat {
        case .padesBB: .padesBB
        case .padesBT, .padesBLT, .padesBLTA: .padesBT
        case .pkcs7: .pkcs7
        case .sm2: .sm2()
        case .ses: .ses(seal: seal.esl)
        }
        // The seal's own picture for every format (SES draws it itself).
        var image: SealImage?
        if case .ses = format {} else {
            guard let picture = seal.image else {
                throw PDFStampError(.badImage, "the seal's picture (\(seal.seal.picture.type)) cannot be drawn in a PDF")
            }
            image = picture
        }
        var current = document.bytes
        var signatures: [Signature] = []
        for (index, (placement, riding)) in placements.enumerated() {
            let recorder = timestamper()
            var certify: PDFCertification?
            // PDF can lock only through a DocMDP certification, which must be the first signature and then admits
            // no visible one: a pipeline that places several PDF signatures cannot lock PDFs (OFD still locks).
            if pipeline.lockPDF && placements.count == 1 && index == 0 { certify = .noChanges }
            var request = PDFStampRequest(
                signer: signer, format: format, placement: placement, image: image, seal: seal.esl, reason: pipeline.reason,
                location: pipeline.location, certify: certify, timestamper: recorder, signingTime: signingTime,
                password: password)
            request.riding = riding
            let stamper: PDFStamper
            // Prepared stampers are shared only for unencrypted inputs (a request holding a password stays private).
            if let stamperCache, recorder == nil, password == nil {
                let key = [pipeline.name, seal.seal.esID, String(describing: placement), String(describing: riding), String(describing: certify),
                           signer.certificate?.serialNumberHex ?? ""].joined(separator: "|")
                stamper = try stamperCache.stamper(
                    key: key, second: Int64(signingTime.timeIntervalSince1970.rounded(.down))) { try PDFStamper(request) }
            } else {
                stamper = try PDFStamper(request)
            }
            let signed = index == 0 ? try stamper.stampUpdate(document).bytes : try stamper.stamp(current)
            signatures.append(Signature(
                // The usage log starts from the input as received, also when it was rewritten.
                format: "pdf/\(pipeline.pdfFormat.rawValue)", before: index == 0 ? bytes : current, after: signed,
                timestampTokenSHA256: recorder?.tokenSHA256))
            current = signed
        }
        // PAdES B-LT/B-LTA: the revocation data (and a document timestamp) after the last signature.
        let ltv: PDFLTVLevel? = switch pipeline.pdfFormat {
        case .padesBLT: .lt
        case .padesBLTA: .lta
        default: nil
        }
        if let ltv {
            current = try PDFLongTermValidation.extend(
                current, level: ltv, checker: DocumentVerification.sharedRevocationChecker,
                timestamper: pipeline.tsaURL.map { TimeStampClient(url: $0) }, anchors: signer.certificateChain,
                password: password)
            if let last = signatures.indices.last { signatures[last].after = current }
        }
        return (current, signatures)
    }

    private func pdfPlacements(_ document: PDFDocument) throws -> [PDFPlacement] {
        // The same geometry as `sealpress stamp` (millimetres from the page's bottom-left corner); keyword
        // placements are resolved on the document's text.
        let picture = seal.seal.picture
        let aspectRatio = seal.image?.aspectRatio
            ?? (picture.widthMM > 0 && picture.heightMM > 0 ? Double(picture.widthMM) / Double(picture.heightMM) : 1)
        return try PlacementGeometry.pdfPlacements(pipeline.placements, document: document, aspectRatio: aspectRatio)
    }

    /// Throws `tooManyPages` when the document has more pages than the pipeline's `max_pages`.
    private func checkPageCount(_ count: Int) throws {
        if let maximum = pipeline.maxPages, count > maximum {
            throw JobFailure(
                .tooManyPages, "the document has \(count) pages; pipeline '\(pipeline.name)' accepts at most \(maximum) "
                    + "(max_pages): split it or use a pipeline with a higher limit")
        }
    }

    // MARK: - OFD

    private func stampOFD(_ bytes: [UInt8]) throws -> (output: [UInt8], signatures: [Signature]) {
        let document = try OFDDocument(package: try OFDPackage(bytes))
        let pages = document.pages
        try checkPageCount(pages.count)
        let picture = seal.seal.picture
        // Pipelines measure from the bottom-left corner; OFD page space starts at the top-left (same as the CLI).
        let placements = try PlacementGeometry.ofdPlacements(
            pipeline.placements, bytes: bytes, pages: pages, pictureWidthMM: Double(picture.widthMM),
            pictureHeightMM: Double(picture.heightMM))
        guard !placements.isEmpty else { throw OFDError(.pageNotFound, "the document has no page to stamp") }
        let recorder = timestamper()
        let request = OFDStampRequest(
            seal: pipeline.ofdFormat == .sign ? nil : seal.esl, signer: signer,
            placements: pipeline.ofdFormat == .sign ? [] : placements,
            sesVersion: pipeline.ofdFormat == .sesV1 ? .v1 : .v4,
            signatureType: pipeline.ofdFormat == .sign ? .sign : .seal, lock: pipeline.lock, timestamp: recorder,
            signingTime: signingTime)
        let signed = try OFDStamper.stamp(bytes, request: request)
        return (signed, [Signature(
            format: "ofd/\(pipeline.ofdFormat.rawValue)", before: bytes, after: signed,
            timestampTokenSHA256: recorder?.tokenSHA256)])
    }
}
