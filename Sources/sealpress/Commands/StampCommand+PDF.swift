import ElectronicSeal
import Foundation
import SealCrypto
import SealNetClient
import SealPDF
import SealPipeline
import SealReport
import SealRevocation

// Owner: the PDF engine. Stamps a PDF for `sealpress stamp`.
extension StampCommand {
    /// How to give an encrypted PDF's password: from the environment, never on the command line (argv is visible
    /// to every user of the machine).
    static let passwordHint =
        "; give its password in the environment variable SEALPRESS_PDF_PASSWORD (not on the command line)"

    func stampPDF(_ bytes: [UInt8]) throws -> StampSummary {
        let signer = try PDFStampCLI.loadSigner(options)
        let sealBytes = try options.seal.map { try PDFStampCLI.read($0, what: "seal") }
        let format = try PDFStampCLI.format(options.format, signer: signer, sealBytes: sealBytes, hasTSA: options.tsa != nil)

        // The picture: --image, else the seal's own picture; neither means an invisible signature.
        var image: SealImage?
        var sealWidthMM: Double?
        if let path = options.image {
            do {
                image = try SealImage(imageBytes: try PDFStampCLI.read(path, what: "image"))
            } catch let error as SealImageError {
                throw CouldNotRun("\(path): \(error.reason)")
            }
        } else if let sealBytes, let sealPath = options.seal {
            guard let seal = try? SESeal(bytes: sealBytes) else { throw CouldNotRun("\(sealPath) is not a GB/T 38540 seal") }
            if seal.picture.widthMM > 0 { sealWidthMM = Double(seal.picture.widthMM) }
            image = try? SealImage(imageBytes: Array(seal.picture.data))
            if image == nil { throw CouldNotRun("the seal's picture (\(seal.picture.type)) is not PNG or JPEG; pass --image") }
        }
        var timestamper: (any TimeStampProvider)?
        if let tsa = options.tsa {
            guard let url = URL(string: tsa), url.scheme == "http" || url.scheme == "https" else {
                throw CouldNotRun("--tsa must be an http(s) URL")
            }
            timestamper = TimeStampClient(url: url)
        }
        if case .padesBT = format, timestamper == nil {
            throw CouldNotRun("--format \(options.format ?? "pades-b-t") needs --tsa URL")
        }
        let ltv = PDFStampCLI.ltvLevel(options.format)
        let formatName = ltv.map { "pades-b-\($0.rawValue)" } ?? PDFStampCLI.name(format)

        // Open once: a broken cross-reference is rebuilt only with --allow-repair.
        let password = ProcessInfo.processInfo.environment["SEALPRESS_PDF_PASSWORD"]
        let document: PDFDocument
        let pageCount: Int
        var repaired = false
        do {
            let opened = try PDFRepairPolicy.open(
                bytes, password: password, allowRepair: options.allowRepair, howToAllow: "pass --allow-repair")
            repaired = opened.wasRepaired
            // A repaired unsigned input is written out in full (fresh cross-reference) before it is signed.
            document = try PDFRewrite.cleanCopy(ofRepaired: opened) ?? opened
            pageCount = try document.pages().count
        } catch let error as PDFStampError {
            let hint = [.encryptedNeedsPassword, .wrongPassword].contains(error.code) ? Self.passwordHint : ""
            throw CouldNotRun("cannot stamp \(input): \(error.reason)\(hint)")
        } catch let error as PDFError {
            let hint = [.passwordRequired, .wrongPassword].contains(error.code) ? Self.passwordHint : ""
            throw CouldNotRun("cannot stamp \(input): \(error.reason)\(hint)")
        }
        // A riding seal: one signature, one slice per selected page.
        if let anchor = try options.ridingSeal() {
            guard image != nil else { throw CouldNotRun("--riding needs a visible seal: pass --seal or --image") }
            var placement = Placement(pages: .last, xMM: 0, yMM: 0, widthMM: options.widthMM ?? sealWidthMM, heightMM: options.heightMM)
            placement.riding = anchor
            var request = PDFStampRequest(
                signer: signer, format: format, image: image, seal: sealBytes, reason: options.reason,
                location: options.location, certify: options.lock ? .noChanges : nil, timestamper: timestamper,
                signingTime: Date(), password: password)
            request.riding = PlacementGeometry.pdfRiding(placement)
            let written: PDFWrittenUpdate
            do {
                written = try PDFStamper(request).stampUpdate(document)
            } catch let error as PDFStampError {
                throw CouldNotRun("cannot stamp \(input): \(error.reason)")
            } catch let error as ElectronicSealError {
                throw CouldNotRun("cannot stamp \(input) (\(error.code)): \(error.reason)")
            }
            let parts = try finishLTV(written, level: ltv, signer: signer, timestamper: timestamper, password: password)
            try write(parts)
            let pages: [Int] =
                switch anchor.pages {
                case .all: Array(1...pageCount)
                case .odd: stride(from: 1, through: pageCount, by: 2).map { $0 }
                case .even: stride(from: 2, through: pageCount, by: 2).map { $0 }
                case .range(let range): Array(range)
                }
            return StampSummary(
                input: input, output: output, format: "pdf", signatureFormat: formatName,
                signatures: 1, pages: pages, visible: true, lock: options.lock, repaired: repaired,
                bytes: parts.reduce(0) { $0 + $1.count },
                sha256: options.json ? Hex.string(Digest.hash(.sha256, parts.flatMap { $0 })) : "",
                signer: signer.certificate?.subject ?? "")
        }
        // One signature per placed page (as pipelines do); none visible: one invisible signature.
        let placements: [PDFPlacement?]
        if let image {
            do {
                placements = try PlacementGeometry.pdfPlacements(
                    try options.placements(widthMM: sealWidthMM), document: document, aspectRatio: image.aspectRatio)
            } catch let error as PDFStampError {
                throw CouldNotRun("cannot stamp \(input): \(error.reason)")
            }
        } else {
            if !options.keyword.isEmpty { throw CouldNotRun("--keyword needs a visible seal: pass --seal or --image") }
            placements = [nil]
        }
        guard !placements.isEmpty else { throw CouldNotRun("\(input) has no page to stamp") }
        if options.lock && placements.count > 1 {
            throw CouldNotRun(
                "--lock cannot lock a PDF that gets \(placements.count) signatures: only a PDF's first signature can "
                    + "lock it (a certification), and it then forbids the others; stamp one page, or drop --lock")
        }
        var pages: [Int] = []
        var written: PDFWrittenUpdate?
        for placement in placements {
            if let placement {
                switch placement.page {
                case .last: pages.append(pageCount)
                case .number(let n): pages.append(n)
                }
            }
            let request = PDFStampRequest(
                signer: signer, format: format, placement: placement, image: image, seal: sealBytes,
                reason: options.reason, location: options.location, certify: options.lock ? .noChanges : nil,
                timestamper: timestamper, signingTime: Date(), password: password)
            do {
                let stamper = try PDFStamper(request)
                written = try written.map { try stamper.stampUpdate($0.bytes) } ?? stamper.stampUpdate(document)
            } catch let error as PDFStampError {
                throw CouldNotRun("cannot stamp \(input): \(error.reason)")
            } catch let error as ElectronicSealError {
                throw CouldNotRun("cannot stamp \(input) (\(error.code)): \(error.reason)")
            }
        }
        guard let written else { throw CouldNotRun("\(input) has no page to stamp") }
        // Write the original and the update without concatenating (large files).
        let parts = try finishLTV(written, level: ltv, signer: signer, timestamper: timestamper, password: password)
        try write(parts)
        return StampSummary(
            input: input, output: output, format: "pdf", signatureFormat: formatName,
            signatures: placements.count, pages: pages, visible: image != nil, lock: options.lock,
            repaired: repaired, bytes: parts.reduce(0) { $0 + $1.count },
            sha256: options.json ? Hex.string(Digest.hash(.sha256, parts.flatMap { $0 })) : "",
            signer: signer.certificate?.subject ?? "")
    }
}

extension StampCommand {
    /// PAdES B-LT/B-LTA: the signed file plus a DSS update (and a document timestamp), fetched now.
    func finishLTV(
        _ written: PDFWrittenUpdate, level: PDFLTVLevel?, signer: any Signer, timestamper: (any TimeStampProvider)?,
        password: String?
    ) throws -> [[UInt8]] {
        guard let level else { return [written.original, written.appended] }
        do {
            let extended = try PDFLongTermValidation.extend(
                written.bytes, level: level, checker: RevocationChecker(fetcher: HTTPRevocationFetcher()),
                timestamper: timestamper, anchors: signer.certificateChain, password: password)
            return [extended]
        } catch let error as PDFStampError {
            throw CouldNotRun(
                "cannot make pades-b-\(level.rawValue) from \(input): \(error.reason) (the CAs of the signer and the "
                    + "TSA go in with --chain)")
        }
    }
}

/// Option handling for PDF stamping (key/certificate loading, format names).
private enum PDFStampCLI {
    /// The long-term-validation level a format name asks for (pades-b-lt, pades-b-lta).
    static func ltvLevel(_ name: String?) -> PDFLTVLevel? {
        switch name?.lowercased() {
        case "pades-b-lt": .lt
        case "pades-b-lta": .lta
        default: nil
        }
    }

    static func read(_ path: String, what: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CouldNotRun("cannot read the \(what) \(path): \(UserMessage.reason(error))")
        }
    }

    static func loadSigner(_ options: StampOptions) throws -> any Signer {
        if KeyInput.isRemote(options.key) {
            return try KeyInput.signer(options.key, certificate: options.cert, flag: "--key")
        }
        let password = options.keyPassword ?? ProcessInfo.processInfo.environment["SEALPRESS_KEY_PASSWORD"]
        var chain: [Certificate] = []
        for path in options.chain {
            chain += (try? Certificate.certificates(pem: String(decoding: try read(path, what: "chain"), as: UTF8.self))) ?? []
        }
        if KeyInput.isReference(options.key) {
            return try KeyInput.signer(options.key, certificate: options.cert, chain: chain, flag: "--key")
        }
        let keyBytes = try read(options.key, what: "key")
        let text = String(decoding: keyBytes, as: UTF8.self)
        do {
            if text.contains("-----BEGIN") {
                let key = try PrivateKey(pem: text, password: password)
                guard let certPath = options.cert else { throw CouldNotRun("--cert is required with a PEM key") }
                let certificate = try certificate(try read(certPath, what: "certificate"))
                return try SoftwareSigner(key: key, certificate: certificate, chain: chain)
            }
            guard let bundle = try? PKCS12Bundle(der: keyBytes, password: password ?? "") else {
                throw CouldNotRun(
                    "cannot open \(options.key) as PKCS#12: wrong or missing --key-password (or SEALPRESS_KEY_PASSWORD)? "
                        + "A PEM key needs --cert too")
            }
            let certificate = try options.cert.map { try self.certificate(try read($0, what: "certificate")) } ?? bundle.certificate
            return try SoftwareSigner(key: bundle.privateKey, certificate: certificate, chain: bundle.chain + chain)
        } catch let error as CouldNotRun {
            throw error
        } catch {
            throw CouldNotRun("cannot load the signing key \(options.key): \(UserMessage.reason(error))")
        }
    }

    static func certificate(_ bytes: [UInt8]) throws -> Certificate {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("-----BEGIN") {
            guard let first = try Certificate.certificates(pem: text).first else { throw CouldNotRun("no certificate in PEM") }
            return first
        }
        return try Certificate(der: bytes)
    }

    static func format(_ name: String?, signer: any Signer, sealBytes: [UInt8]?, hasTSA: Bool) throws -> SealPDF.PDFSignatureFormat {
        let isSM2 = signer.algorithm == .sm2WithSM3
        switch name?.lowercased() {
        case nil: return isSM2 ? .sm2() : (hasTSA ? .padesBT : .padesBB)
        case "pades-b-b", "pades": return .padesBB
        case "pades-b-t", "pades-b-lt", "pades-b-lta": return .padesBT
        case "pkcs7": return .pkcs7
        case "sm2": return .sm2()
        case "sm2-pkcs7": return .sm2(gmtOIDs: false)
        case "ses":
            guard let sealBytes else { throw CouldNotRun("--format ses needs --seal") }
            return .ses(seal: sealBytes)
        case let other?:
            throw CouldNotRun("unknown PDF signature format '\(other)' (pades-b-b, pades-b-t, pades-b-lt, pades-b-lta, pkcs7, sm2, sm2-pkcs7, ses)")
        }
    }

    static func name(_ format: SealPDF.PDFSignatureFormat) -> String {
        switch format {
        case .padesBB: "pades-b-b"
        case .padesBT: "pades-b-t"
        case .pkcs7: "pkcs7"
        case .sm2(let gmtOIDs): gmtOIDs ? "sm2" : "sm2-pkcs7"
        case .ses: "ses"
        }
    }
}
