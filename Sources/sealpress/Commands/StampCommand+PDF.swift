import ElectronicSeal
import Foundation
import SealCrypto
import SealPDF
import SealReport

// Owner: the PDF engine. Stamps a PDF for `sealpress stamp`.
extension StampCommand {
    func stampPDF(_ bytes: [UInt8]) throws {
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
        } else if let sealBytes {
            guard let seal = try? SESeal(bytes: sealBytes) else { throw CouldNotRun("\(options.seal!) is not a GB/T 38540 seal") }
            if seal.picture.widthMM > 0 { sealWidthMM = Double(seal.picture.widthMM) }
            image = try? SealImage(imageBytes: Array(seal.picture.data))
            if image == nil { throw CouldNotRun("the seal's picture (\(seal.picture.type)) is not PNG or JPEG; pass --image") }
        }
        let page: PDFPlacement.Page
        if options.page == "last" {
            page = .last
        } else if let number = Int(options.page), number >= 1 {
            page = .number(number)
        } else {
            throw CouldNotRun("--page must be a page number (1-based) or 'last'")
        }
        let placement = image.map { _ in
            PDFPlacement(
                page: page, xMM: options.xMM, yMM: options.yMM, widthMM: options.widthMM ?? sealWidthMM,
                heightMM: options.heightMM)
        }
        var timestamper: (any TimeStampProvider)?
        if let tsa = options.tsa {
            guard let url = URL(string: tsa), url.scheme == "http" || url.scheme == "https" else {
                throw CouldNotRun("--tsa must be an http(s) URL")
            }
            timestamper = TimeStampClient(url: url)
        }
        if case .padesBT = format, timestamper == nil { throw CouldNotRun("--format pades-b-t needs --tsa URL") }
        let request = PDFStampRequest(
            signer: signer, format: format, placement: placement, image: image, seal: sealBytes, reason: options.reason,
            location: options.location, certify: options.lock ? .noChanges : nil, timestamper: timestamper,
            signingTime: Date(),
            password: ProcessInfo.processInfo.environment["SEALPRESS_PDF_PASSWORD"])
        let written: PDFWrittenUpdate
        do {
            written = try PDFStamper(request).stampUpdate(bytes)
        } catch let error as PDFStampError {
            throw CouldNotRun("cannot stamp \(input): \(error.reason)")
        } catch let error as ElectronicSealError {
            throw CouldNotRun("cannot stamp \(input) (\(error.code)): \(error.reason)")
        }
        // Write the original and the update without concatenating (large files).
        guard FileManager.default.createFile(atPath: output, contents: nil),
            let handle = FileHandle(forWritingAtPath: output)
        else { throw CouldNotRun("cannot write \(output)") }
        do {
            try handle.write(contentsOf: written.original)
            try handle.write(contentsOf: written.appended)
            try handle.close()
        } catch {
            throw CouldNotRun("cannot write \(output): \(error.localizedDescription)")
        }
        let summary: [String: String] = [
            "input": input, "output": output, "format": PDFStampCLI.name(format),
            "visible": image == nil ? "false" : "true", "bytes": String(written.count),
            "signer": signer.certificate?.subject ?? "",
        ]
        if options.json {
            let data = try JSONSerialization.data(withJSONObject: summary, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("stamped \(input) → \(output) (\(PDFStampCLI.name(format)), \(image == nil ? "invisible" : "visible seal"), \(written.count) bytes)")
        }
    }
}

/// Option handling for PDF stamping (key/certificate loading, format names).
private enum PDFStampCLI {
    static func read(_ path: String, what: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CouldNotRun("cannot read \(what) \(path): \(error.localizedDescription)")
        }
    }

    static func loadSigner(_ options: StampOptions) throws -> any Signer {
        let password = options.keyPassword ?? ProcessInfo.processInfo.environment["SEALPRESS_KEY_PASSWORD"]
        let keyBytes = try read(options.key, what: "key")
        let text = String(decoding: keyBytes, as: UTF8.self)
        var chain: [Certificate] = []
        for path in options.chain {
            chain += (try? Certificate.certificates(pem: String(decoding: try read(path, what: "chain"), as: UTF8.self))) ?? []
        }
        do {
            if text.contains("-----BEGIN") {
                let key = try PrivateKey(pem: text, password: password)
                guard let certPath = options.cert else { throw CouldNotRun("--cert is required with a PEM key") }
                let certificate = try certificate(try read(certPath, what: "certificate"))
                return try SoftwareSigner(key: key, certificate: certificate, chain: chain)
            }
            let bundle = try PKCS12Bundle(der: keyBytes, password: password ?? "")
            let certificate = try options.cert.map { try self.certificate(try read($0, what: "certificate")) } ?? bundle.certificate
            return try SoftwareSigner(key: bundle.privateKey, certificate: certificate, chain: bundle.chain + chain)
        } catch let error as CouldNotRun {
            throw error
        } catch {
            throw CouldNotRun("cannot load the signing key: \(error)")
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

    static func format(_ name: String?, signer: any Signer, sealBytes: [UInt8]?, hasTSA: Bool) throws -> PDFSignatureFormat {
        let isSM2 = signer.algorithm == .sm2WithSM3
        switch name?.lowercased() {
        case nil: return isSM2 ? .sm2() : (hasTSA ? .padesBT : .padesBB)
        case "pades-b-b", "pades": return .padesBB
        case "pades-b-t": return .padesBT
        case "pkcs7": return .pkcs7
        case "sm2": return .sm2()
        case "sm2-pkcs7": return .sm2(gmtOIDs: false)
        case "ses":
            guard let sealBytes else { throw CouldNotRun("--format ses needs --seal") }
            return .ses(seal: sealBytes)
        case let other?:
            throw CouldNotRun("unknown PDF signature format '\(other)' (pades-b-b, pades-b-t, pkcs7, sm2, sm2-pkcs7, ses)")
        }
    }

    static func name(_ format: PDFSignatureFormat) -> String {
        switch format {
        case .padesBB: "pades-b-b"
        case .padesBT: "pades-b-t"
        case .pkcs7: "pkcs7"
        case .sm2(let gmtOIDs): gmtOIDs ? "sm2" : "sm2-pkcs7"
        case .ses: "ses"
        }
    }
}
