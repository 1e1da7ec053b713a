import ElectronicSeal
import Foundation
import SealCrypto
import SealOFD

// Owner: the OFD engine. Stamps an OFD for `sealpress stamp`.
extension StampCommand {
    func stampOFD(_ bytes: [UInt8]) throws {
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
        var timestamp: TimeStampClient?
        if let tsa = options.tsa {
            guard let url = URL(string: tsa), url.scheme == "http" || url.scheme == "https" else {
                throw CouldNotRun("--tsa must be an http(s) URL")
            }
            timestamp = TimeStampClient(url: url)
        }
        let sesVersion: OFDStampRequest.SESVersion
        switch options.format?.lowercased() {
        case nil, "sign":
            // No format named: a GM/T 0031 seal can only make a v1 signature, so follow the seal.
            if let sealBytes, let seal = try? SESeal(bytes: sealBytes), seal.version == .v1 { sesVersion = .v1 } else { sesVersion = .v4 }
        case "ses-v1": sesVersion = .v1
        case "ses", "ses-v4": sesVersion = .v4  // as in pipelines: `ses` is GB/T 38540 (v4)
        case let other?: throw CouldNotRun("--format \(other) is not an OFD format (use ses, ses-v1 or sign)")
        }
        let page: OFDStampPlacement.Page
        if options.page.lowercased() == "last" {
            page = .last
        } else if let number = Int(options.page), number >= 1 {
            page = .number(number)
        } else {
            throw CouldNotRun("--page must be a page number from 1 or 'last'")
        }
        let signer = try OFDCommandFiles.signer(
            key: options.key, password: options.keyPassword ?? ProcessInfo.processInfo.environment["SEALPRESS_KEY_PASSWORD"],
            certificate: options.cert, chain: options.chain)
        let request = OFDStampRequest(
            seal: sealBytes, signer: signer,
            placements: type == .seal
                ? [OFDStampPlacement(page: page, xMM: options.xMM, yMM: options.yMM, widthMM: options.widthMM, heightMM: options.heightMM)]
                : [],
            sesVersion: sesVersion, signatureType: type, lock: options.lock, timestamp: timestamp,
            signingTime: Date())
        let signed: [UInt8]
        do {
            signed = try OFDStamper.stamp(bytes, request: request)
        } catch let error as OFDError {
            throw CouldNotRun("cannot stamp \(input): \(error.reason)")
        } catch let error as ElectronicSealError {
            throw CouldNotRun("cannot stamp \(input) (\(error.code)): \(error.reason)")
        }
        do {
            try Data(signed).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CouldNotRun("cannot write \(output): \(error.localizedDescription)")
        }
        if options.json {
            let digest = Hex.string(Digest.hash(.sha256, signed))
            print("{\"format\":\"ofd\",\"output\":\"\(output)\",\"bytes\":\(signed.count),\"sha256\":\"\(digest)\",\"lock\":\(options.lock)}")
        } else {
            print("stamped \(input) -> \(output) (\(signed.count) bytes)\(options.lock ? ", locked" : "")")
        }
    }
}

/// Reading keys, certificates and seals for the OFD commands.
enum OFDCommandFiles {
    static func read(_ path: String, what: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CouldNotRun("cannot read the \(what) \(path): \(error.localizedDescription)")
        }
    }

    /// A signer from a PEM/DER private key (with --cert) or a PKCS#12 file.
    static func signer(key: String, password: String?, certificate: String?, chain: [String]) throws -> SoftwareSigner {
        let keyBytes = try read(key, what: "key")
        let extra = try chain.flatMap { path in try certificates(path) }
        do {
            if keyBytes.starts(with: Array("-----BEGIN".utf8)) || keyBytes.contains(0x2D) && String(decoding: keyBytes, as: UTF8.self).contains("-----BEGIN") {
                let privateKey = try PrivateKey(pem: String(decoding: keyBytes, as: UTF8.self), password: password)
                guard let certificate else { throw CouldNotRun("--cert is required with a PEM key") }
                let certs = try certificates(certificate)
                guard let leaf = certs.first else { throw CouldNotRun("\(certificate) holds no certificate") }
                return try SoftwareSigner(key: privateKey, certificate: leaf, chain: Array(certs.dropFirst()) + extra)
            }
            if let bundle = try? PKCS12Bundle(der: keyBytes, password: password ?? "") {
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
            throw CouldNotRun("cannot load the signing key \(key): \(error)")
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
            throw CouldNotRun("cannot read a certificate from \(path): \(error)")
        }
    }
}
