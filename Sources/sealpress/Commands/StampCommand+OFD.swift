import ElectronicSeal
import Foundation
import SealCrypto
import SealNetClient
import SealOFD
import SealPipeline

// Owner: the OFD engine. Stamps an OFD for `sealpress stamp`.
extension StampCommand {
    func stampOFD(_ bytes: [UInt8]) throws -> StampSummary {
        let type: OFDSignatureType = options.format?.lowercased() == "sign" ? .sign : .seal
        var sealBytes: [UInt8]?
        if let path = options.seal {
            sealBytes = try OFDCommandFiles.read(path, what: "seal")
        } else if type == .seal {
            throw CouldNotRun("an OFD seal stamp needs --seal seal.esl (or --format sign for a signature without a seal)")
        }
        if options.image != nil {
            throw CouldNotRun("--image is not used for OFD: the seal's own picture is shown (it is inside the seal)")
        }
        if options.allowRepair {
            throw CouldNotRun("--allow-repair is for PDF only: an OFD package is never repaired")
        }
        var timestamp: TimeStampClient?
        if let tsa = options.tsa {
            guard let url = URL(string: tsa), url.scheme == "http" || url.scheme == "https" else {
                throw CouldNotRun("--tsa must be an http(s) URL")
            }
            timestamp = TimeStampClient(url: url)
        }
        let seal = sealBytes.flatMap { try? SESeal(bytes: $0) }
        if sealBytes != nil && seal == nil, let path = options.seal { throw CouldNotRun("\(path) is not a GB/T 38540 seal") }
        let sesVersion: OFDStampRequest.SESVersion
        let formatName: String
        switch options.format?.lowercased() {
        case nil, "sign":
            // No format named: a GM/T 0031 seal can only make a v1 signature, so follow the seal.
            sesVersion = seal?.version == .v1 ? .v1 : .v4
            formatName = type == .sign ? "sign" : (sesVersion == .v1 ? "ses-v1" : "ses")
        case "ses-v1": sesVersion = .v1; formatName = "ses-v1"
        case "ses", "ses-v4": sesVersion = .v4; formatName = "ses"  // as in pipelines: `ses` is GB/T 38540 (v4)
        case let other?: throw CouldNotRun("--format \(other) is not an OFD format (use ses, ses-v1 or sign)")
        }
        // --x-mm/--y-mm are from the page's bottom-left, as for PDF and pipelines; OFD's own space runs from the
        // top-left of each page's physical box, so each placement is converted with that page's height.
        let document: OFDDocument
        do {
            document = try OFDDocument(package: try OFDPackage(bytes))
        } catch {
            throw CouldNotRun("cannot stamp \(input): \(UserMessage.reason(error))")
        }
        var placements: [OFDStampPlacement] = []
        if type == .seal {
            do {
                placements = try PlacementGeometry.ofdPlacements(
                    try options.placements(), bytes: bytes, pages: document.pages,
                    pictureWidthMM: Double(seal?.picture.widthMM ?? 0), pictureHeightMM: Double(seal?.picture.heightMM ?? 0))
            } catch let error as OFDError {
                throw CouldNotRun("cannot stamp \(input): \(error.reason)")
            }
            guard !placements.isEmpty else {
                throw CouldNotRun("--page \(options.page): \(input) has \(document.pages.count) page(s)")
            }
            // Say where the seal fell in the user's own terms (bottom-left millimetres), not OFD's.
            for placement in placements {
                guard case .number(let number) = placement.page else { continue }
                let area = document.pages[number - 1].physicalBox
                let width = placement.widthMM ?? 0
                let height = placement.heightMM ?? 0
                let inside = placement.xMM < area.xMM + area.widthMM && placement.xMM + width > area.xMM
                    && placement.yMM < area.yMM + area.heightMM && placement.yMM + height > area.yMM
                if !inside {
                    throw CouldNotRun(
                        "the seal at --x-mm \(options.xMM) --y-mm \(options.yMM) (from the bottom-left corner) lies "
                            + "outside page \(number), which is \(area.widthMM) × \(area.heightMM) mm")
                }
            }
        }
        let signer = try OFDCommandFiles.signer(
            key: options.key, password: options.keyPassword ?? ProcessInfo.processInfo.environment["SEALPRESS_KEY_PASSWORD"],
            certificate: options.cert, chain: options.chain)
        let request = OFDStampRequest(
            seal: sealBytes, signer: signer, placements: placements,
            sesVersion: sesVersion, signatureType: type, lock: options.lock, timestamp: timestamp,
            signingTime: Date())
        let signed: [UInt8]
        do {
            signed = try OFDStamper.stamp(bytes, request: request)
        } catch {
            // A seal-policy refusal names its code (as in pipelines); anything else its reason.
            if let refusal = error as? ElectronicSealError {
                throw CouldNotRun("cannot stamp \(input) (\(refusal.code)): \(refusal.reason)")
            }
            throw CouldNotRun("cannot stamp \(input): \(UserMessage.reason(error))")
        }
        try write([signed])
        let pages = placements.compactMap { placement -> Int? in
            if case .number(let n) = placement.page { return n }
            return document.pages.count
        }
        return StampSummary(
            input: input, output: output, format: "ofd", signatureFormat: formatName, signatures: 1, pages: pages,
            visible: !placements.isEmpty, lock: options.lock, repaired: false, bytes: signed.count,
            sha256: Hex.string(Digest.hash(.sha256, signed)), signer: signer.certificate?.subject ?? "")
    }
}

/// Reading keys, certificates and seals for the OFD commands.
enum OFDCommandFiles {
    static func read(_ path: String, what: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CouldNotRun("cannot read the \(what) \(path): \(UserMessage.reason(error))")
        }
    }

    /// A signer from a PEM/DER private key (with --cert) or a PKCS#12 file.
    static func signer(key: String, password: String?, certificate: String?, chain: [String]) throws -> any Signer {
        if KeyInput.isRemote(key) {
            return try KeyInput.signer(key, certificate: certificate, flag: "--key")
        }
        let extra = try chain.flatMap { path in try certificates(path) }
        if KeyInput.isReference(key) {
            return try KeyInput.signer(key, certificate: certificate, chain: extra, flag: "--key")
        }
        let keyBytes = try read(key, what: "key")
        do {
            if keyBytes.starts(with: Array("-----BEGIN".utf8)) || keyBytes.contains(0x2D) && String(decoding: keyBytes, as: UTF8.self).contains("-----BEGIN") {
                let privateKey = try PrivateKey(pem: String(decoding: keyBytes, as: UTF8.self), password: password)
                guard let certificate else { throw CouldNotRun("--cert is required with a PEM key") }
                let certs = try certificates(certificate)
                guard let leaf = certs.first else { throw CouldNotRun("\(certificate) holds no certificate") }
                return try SoftwareSigner(key: privateKey, certificate: leaf, chain: Array(certs.dropFirst()) + extra)
            }
            if keyBytes.first == 0x30 {
                guard let bundle = try? PKCS12Bundle(der: keyBytes, password: password ?? "") else {
                    if (try? PrivateKey(der: keyBytes)) == nil {
                        throw CouldNotRun(
                            "cannot open \(key) as PKCS#12: wrong or missing --key-password (or SEALPRESS_KEY_PASSWORD)?")
                    }
                    let privateKey = try PrivateKey(der: keyBytes)
                    guard let certificate, let leaf = try certificates(certificate).first else {
                        throw CouldNotRun("--cert is required with a DER key")
                    }
                    return try SoftwareSigner(key: privateKey, certificate: leaf, chain: extra)
                }
                let leaf = try certificate.map { try certificates($0).first ?? bundle.certificate } ?? bundle.certificate
                return try SoftwareSigner(key: bundle.privateKey, certificate: leaf, chain: bundle.chain + extra)
            }
            let privateKey = try PrivateKey(der: keyBytes)
            guard let certificate, let leaf = try certificates(certificate).first else {
                throw CouldNotRun("--cert is required with a DER key")
            }
            return try SoftwareSigner(key: privateKey, certificate: leaf, chain: extra)
        } catch let error as CouldNotRun {
            throw error
        } catch {
            throw CouldNotRun("cannot load the signing key \(key): \(UserMessage.reason(error))")
        }
    }

    /// Certificates from a PEM bundle or a single DER certificate.
    static func certificates(_ path: String) throws -> [Certificate] {
        let bytes = try read(path, what: "certificate")
        do {
            let text = String(decoding: bytes, as: UTF8.self)
            if text.contains("-----BEGIN") { return try Certificate.certificates(pem: text) }
            return [try Certificate(der: bytes)]
        } catch {
            throw CouldNotRun("cannot read a certificate from \(path): \(UserMessage.reason(error))")
        }
    }
}
