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
///
/// PDF updates are appended to the input's own array (``stamp(inPlace:format:)``): a worker holding a 200 MB
/// document holds it once, not once as input and once as output (read it with spare capacity; the array must be
/// the only reference to its buffer, or the first append copies it).
struct StampEngine {
    /// One signature made: the state of the document after it (for the usage log's chain) and its timestamp token
    /// hash. Signatures are chained: each one starts from what the previous one left, the first from the input.
    struct Signature: Sendable {
        var format: String
        /// SHA-256 (hex) of the document after this signature; nil for the last one, whose result is the output
        /// (the caller hashes it once, or takes the verifier's hash).
        var afterSHA256: String?
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

    /// Stamps a copy of `bytes`; returns the output and the signatures.
    func stamp(_ bytes: [UInt8], format: DocumentFormat) throws -> (output: [UInt8], signatures: [Signature]) {
        var output = bytes
        let signatures = try stamp(inPlace: &output, format: format).signatures
        return (output, signatures)
    }

    /// Stamps `bytes` in place: on return it holds the output. `extendsInput` is true when the output is the whole
    /// input followed by the updates (always for PDF, unless a repaired input was rewritten; never for OFD).
    func stamp(inPlace bytes: inout [UInt8], format: DocumentFormat) throws -> (signatures: [Signature], extendsInput: Bool) {
        switch format {
        case .pdf: return try stampPDF(&bytes)
        case .ofd:
            let signature = try stampOFD(&bytes)
            return ([signature], false)
        }
    }

    private func timestamper() -> TokenRecorder? {
        pipeline.tsaURL.map { TokenRecorder(TimeStampClient(url: $0)) }
    }

    // MARK: - PDF

    private func stampPDF(_ bytes: inout [UInt8]) throws -> (signatures: [Signature], extendsInput: Bool) {
        var signatures: [Signature] = []
        var placements: [(placement: PDFPlacement?, riding: PDFRidingSeal?)] = []
        var rewritten = false
        var appended: [UInt8] = []
        // The first signature on the document opened once (page count, placements): in its own scope, so that the
        // parsed document and the written update, which share the input's buffer, are gone before the append.
        do {
            // A broken cross-reference is repaired only when the pipeline says `allow_repair: true`.
            var document = try PDFRepairPolicy.open(
                bytes, password: password, allowRepair: pipeline.allowRepair, howToAllow: "set allow_repair: true in the pipeline")
            // A repaired input nobody has signed is written out in full (fresh cross-reference) before it is signed:
            // no update on top of broken bytes. A signed one is refused there; an encrypted one stays incremental.
            if let clean = try PDFRewrite.cleanCopy(ofRepaired: document) {
                document = clean
                rewritten = true
            }
            if pipeline.maxPages != nil { try checkPageCount(try document.pages().count) }
            // Fixed and keyword placements (one signature each), then riding seals (one signature each).
            placements = try pdfPlacements(document).map { ($0, nil) }
                + pipeline.placements.compactMap(PlacementGeometry.pdfRiding).map { (nil, $0) }
            guard !placements.isEmpty else { throw PDFStampError(.noSuchPage, "the document has no page to stamp") }
            let recorder = timestamper()
            let written = try stamper(placements[0], index: 0, count: placements.count, recorder: recorder).stampUpdate(document)
            if rewritten { bytes = written.bytes } else { appended = written.appended }
            signatures.append(Signature(format: "pdf/\(pipeline.pdfFormat.rawValue)", timestampTokenSHA256: recorder?.tokenSHA256))
        }
        if !rewritten { bytes.append(contentsOf: appended) }
        for index in placements.indices.dropFirst() {
            let recorder = timestamper()
            do {
                let written = try stamper(placements[index], index: index, count: placements.count, recorder: recorder)
                    .stampUpdate(bytes)
                appended = written.appended
            }
            // The usage log records every state: the one the previous signature left is hashed before it grows.
            signatures[index - 1].afterSHA256 = Hex.string(Digest.hash(.sha256, bytes))
            bytes.append(contentsOf: appended)
            signatures.append(Signature(format: "pdf/\(pipeline.pdfFormat.rawValue)", timestampTokenSHA256: recorder?.tokenSHA256))
        }
        // PAdES B-LT/B-LTA: the revocation data (and a document timestamp) after the last signature.
        let ltv: PDFLTVLevel? = switch pipeline.pdfFormat {
        case .padesBLT: .lt
        case .padesBLTA: .lta
        default: nil
        }
        if let ltv {
            bytes = try PDFLongTermValidation.extend(
                bytes, level: ltv, checker: DocumentVerification.sharedRevocationChecker,
                timestamper: pipeline.tsaURL.map { TimeStampClient(url: $0) }, anchors: signer.certificateChain,
                password: password)
        }
        return (signatures, !rewritten)
    }

    /// The stamper of one placement (a shared prepared one when it can be).
    private func stamper(
        _ item: (placement: PDFPlacement?, riding: PDFRidingSeal?), index: Int, count: Int, recorder: TokenRecorder?
    ) throws -> PDFStamper {
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
        let (placement, riding) = item
        var certify: PDFCertification?
        // PDF can lock only through a DocMDP certification, which must be the first signature and then admits
        // no visible one: a pipeline that places several PDF signatures cannot lock PDFs (OFD still locks).
        if pipeline.lockPDF && count == 1 && index == 0 { certify = .noChanges }
        var request = PDFStampRequest(
            signer: signer, format: format, placement: placement, image: image, seal: seal.esl, reason: pipeline.reason,
            location: pipeline.location, certify: certify, timestamper: recorder, signingTime: signingTime,
            password: password)
        request.riding = riding
        // Prepared stampers are shared only for unencrypted inputs (a request holding a password stays private).
        if let stamperCache, recorder == nil, password == nil {
            let key = PDFStamperCache.Key(
                pipeline: pipeline.name, esID: seal.seal.esID, placement: placement, riding: riding, certify: certify,
                signerSerial: signer.certificate?.serialNumberHex ?? "")
            return try stamperCache.stamper(
                key: key, second: Int64(signingTime.timeIntervalSince1970.rounded(.down))) { try PDFStamper(request) }
        }
        return try PDFStamper(request)
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

    private func stampOFD(_ bytes: inout [UInt8]) throws -> Signature {
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
        bytes = try OFDStamper.stamp(bytes, request: request)
        return Signature(format: "ofd/\(pipeline.ofdFormat.rawValue)", timestampTokenSHA256: recorder?.tokenSHA256)
    }
}
