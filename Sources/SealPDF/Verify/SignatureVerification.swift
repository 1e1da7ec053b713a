import ElectronicSeal
import Foundation
import SealCrypto
import SealReport

/// Verifies one signature field: coverage, container, chain, timestamp, later modifications.
struct SignatureVerification {
    let document: PDFDocument
    let field: SignatureFieldLocator.Field
    let options: PDFVerifyOptions

    func report() -> SignatureReport {
        var checks: [Check] = []
        let dictionary = field.signature
        let subFilter = dictionary["SubFilter"]?.nameValue?.string ?? ""
        var format = subFilter == "ETSI.CAdES.detached" ? "pdf.pades" : (subFilter == "ETSI.RFC3161" ? "pdf.timestamp" : "pdf.pkcs7")
        var quirks: [String] = []
        func finish(algorithm: String? = nil, signer: Certificate? = nil, time: Date? = nil, stamped: Bool = false,
                    seal: SESeal? = nil) -> SignatureReport {
            var report = SignatureReport(
                id: field.name, format: format, algorithm: algorithm, signer: signer?.subject,
                signerSerial: signer?.serialNumberHex, sealName: seal?.name, sealID: seal?.esID, signingTime: time,
                timestamped: stamped, checks: checks)
            report.quirks = quirks
            return report
        }

        // 0. A signature dictionary that does not parse is a broken signature.
        guard field.readable else {
            checks.append(
                .failed(
                    "signatureDictionary", .integrity, .formatFailure,
                    "the signature dictionary of field \(field.name) cannot be read (damaged, e.g. a /Contents that is "
                        + "not hexadecimal): the signature cannot be checked"))
            return finish()
        }

        // 1. /ByteRange and /Contents.
        let numbers = (dictionary["ByteRange"]?.arrayValue ?? []).compactMap(\.integerValue)
        guard dictionary["ByteRange"]?.arrayValue?.count == numbers.count, !numbers.isEmpty else {
            checks.append(.failed("byteRange", .integrity, .formatFailure, "the signature has no usable /ByteRange"))
            return finish()
        }
        let contentsValue = document.isEncrypted ? nil : dictionary["Contents"]?.stringValue?.bytes
        if dictionary["Contents"]?.stringValue == nil {
            checks.append(.failed("byteRange", .integrity, .formatFailure, "the signature has no /Contents string"))
            return finish()
        }
        let inspection: ByteRangeInspection
        switch ByteRangeInspection.inspect(numbers, contentsValue: contentsValue, in: document.bytes) {
        case .failure(let problem):
            checks.append(.failed("byteRange", .integrity, .formatFailure, problem.reason))
            return finish()
        case .success(let value):
            inspection = value
        }
        if let problem = wrappingProblem(inspection) {
            checks.append(.failed("byteRange", .integrity, .formatFailure, problem))
            return finish()
        }
        checks.append(.passed("byteRange", .integrity, "two ranges from byte 0 around exactly the /Contents string"))

        // 2. Which revision the signature covers.
        guard let signedRevision = coveredRevision(inspection.signedEnd) else {
            checks.append(
                .failed(
                    "coverage", .integrity, .formatFailure,
                    "the signature covers \(inspection.signedEnd) bytes, which is not the end of any revision"))
            return finish()
        }

        // 3. The container.
        let ranges = inspection.ranges
        let bytes = document.bytes
        let digestOf: (DigestAlgorithm) -> [UInt8] = { algorithm in
            var hasher = SealCrypto.Hasher(algorithm)
            for range in ranges { hasher.update(bytes[range.offset..<(range.offset + range.length)]) }
            return hasher.finalize()
        }
        let blob = inspection.signatureBytes
        var algorithmName: String?
        var signer: Certificate?
        var signingTime: Date? = Self.pdfDate(dictionary["M"]?.stringValue?.text)
        var timestamped = false
        var seal: SESeal?

        if subFilter == "ETSI.RFC3161" {
            // A document timestamp: the token's imprint covers the byte ranges.
            let token = TimeStampVerification.verify(tokenDER: blob, imprint: { digestOf($0) }, trust: nil)
            let tokenChecks = timestampChecks(token, prefix: "", certificates: token.certificates)
            checks += tokenChecks
            signingTime = token.genTime
            timestamped = Self.proves(tokenChecks) && token.genTime != nil
            signer = token.tsaCertificate
        } else if subFilter == "adbe.x509.rsa_sha1" {
            // A PKCS#1 v1.5 value over the byte ranges in an OCTET STRING, the signer's certificate in /Cert.
            format = "pdf.x509.rsa_sha1"
            let certificates = Self.certificates(dictionary["Cert"], in: document)
            guard let certificate = certificates.first else {
                checks.append(
                    .indeterminate(
                        "signingCertificate", .trust, .noSigningCertificateFound,
                        "the adbe.x509.rsa_sha1 signature has no readable certificate in /Cert"))
                return finish()
            }
            signer = certificate
            let raw = RawRSASignatureChecks(blob, certificate: certificate, contentDigest: digestOf)
            checks += raw.checks
            algorithmName = raw.algorithmName
            guard raw.isReadable else { return finish(signer: signer, time: signingTime) }
            checks.append(.skipped("timestamp", .trust, "no signature timestamp (adbe.x509.rsa_sha1 carries none)"))
            checks += trustChecks(certificate, extra: Array(certificates.dropFirst()), signingTime: signingTime, proven: false)
        } else if let signedData = try? CMSSignedData(der: blob) {
            if blob.count > 2, blob[blob.startIndex] == 0x30, blob[blob.startIndex + 1] == 0x80 {
                quirks.append(
                    "the CMS is BER-encoded with indefinite lengths (as streaming signers write it): read as BER, "
                        + "signed attributes verified over their DER encoding")
            }
            let cms = CMSContainerChecks(signedData, contentDigest: digestOf, content: { Self.concatenate(bytes, ranges) })
            checks += cms.checks
            signer = cms.signerCertificate
            algorithmName = cms.algorithm.map(Self.algorithmName)
            if cms.algorithm == .sm2WithSM3 { format = "pdf.sm2" }
            signingTime = cms.claimedSigningTime ?? signingTime
            if let certificate = cms.signerCertificate {
                if let verification = cms.timeStamp {
                    // Verified once, inside the CMS verification; only its trust is judged here.
                    let tokenChecks = timestampChecks(verification, prefix: "timestamp.", certificates: verification.certificates)
                    checks += tokenChecks
                    if Self.proves(tokenChecks), let time = verification.genTime {
                        timestamped = true
                        signingTime = time
                    }
                } else if cms.hasTimestampToken {
                    checks.append(.skipped("timestamp", .trust, "the signature timestamp was not checked: the signature itself could not be"))
                } else {
                    checks.append(.skipped("timestamp", .trust, "no signature timestamp"))
                }
                checks += trustChecks(certificate, extra: cms.certificates, signingTime: signingTime, proven: timestamped)
            }
        } else if let signature = try? SESSignature(bytes: blob) {
            format = "pdf.ses"
            algorithmName = "SM2-SM3"
            seal = signature.seal
            signer = try? Certificate(der: Array(signature.signerCertificate))
            checks += SealVerifier.verify(
                signature: signature, signedData: .digest(digestOf(.sm3)), trust: options.trust,
                at: options.at ?? signingTime ?? Date(), revocation: options.revocation)
        } else {
            checks.append(
                .failed(
                    "cmsStructure", .integrity, .formatFailure,
                    "/Contents is neither a CMS SignedData nor a GB/T 38540 SES_Signature"))
            return finish()
        }

        // 4. What happened afterwards.
        let view = RevisionView(document: document, revision: signedRevision)
        let lock = FieldLock.of(signature: dictionary, field: field.fieldDictionary, view: view)
        let outcome = DifferenceAnalysis(document: document, lock: lock).analyse(after: signedRevision)
        let later = document.revisions.count - 1 - signedRevision
        if !outcome.isAcceptable {
            checks.append(
                .failed(
                    "modifications", .integrity, .formatFailure,
                    "illegal changes after signing: " + outcome.illegal.prefix(5).joined(separator: "; ")))
        } else if later == 0 {
            checks.append(.passed("modifications", .integrity, "the signature covers the whole document"))
        } else {
            checks.append(
                .passed("modifications", .integrity, "\(later) later revision(s), all allowed: \(outcome.summary)"))
        }
        return finish(algorithm: algorithmName, signer: signer, time: signingTime, stamped: timestamped, seal: seal)
    }

    /// The signature dictionary must be a plain object whose own bytes hold the /Contents gap: otherwise the
    /// ranges were cut around some other string (signature wrapping).
    private func wrappingProblem(_ inspection: ByteRangeInspection) -> String? {
        guard let ref = field.signatureRef ?? field.fieldRef else { return nil }
        guard case .offset(let offset, _)? = document.latestEntries[ref.number] else {
            return "the signature dictionary is stored compressed, so its /Contents cannot be the signed gap"
        }
        guard offset < inspection.gap.lowerBound else {
            return "the /ByteRange gap lies before the signature dictionary"
        }
        let end = SignatureDictionaryLayout.find(Array("endobj".utf8), in: document.bytes, from: offset, to: inspection.gap.lowerBound)
        if end != nil { return "the /ByteRange gap is outside the signature dictionary" }
        return nil
    }

    /// The revision whose end the signed range reaches (allowing the end-of-line after `%%EOF`).
    private func coveredRevision(_ signedEnd: Int) -> Int? {
        for (index, revision) in document.revisions.enumerated() {
            let end = revision.endOffset
            if end == signedEnd { return index }
            if end > signedEnd, end - signedEnd <= 2,
                document.bytes[signedEnd..<end].allSatisfy({ $0 == 0x0A || $0 == 0x0D || $0 == 0x20 })
            {
                return index
            }
            if signedEnd > end, signedEnd - end <= 2, signedEnd <= document.bytes.count,
                document.bytes[end..<signedEnd].allSatisfy({ $0 == 0x0A || $0 == 0x0D || $0 == 0x20 })
            {
                return index
            }
        }
        return nil
    }

    /// A timestamp proves its time only when its token verified and its TSA chains to a trust anchor.
    static func proves(_ tokenChecks: [Check]) -> Bool {
        !tokenChecks.contains { $0.status == .failed || $0.status == .indeterminate }
    }

    /// The checks of an RFC 3161 token: its CMS signature and imprint (integrity), and its TSA's chain (trust).
    private func timestampChecks(_ token: TimeStampVerification, prefix: String, certificates: [Certificate]) -> [Check] {
        var checks: [Check] = []
        if token.info == nil {
            let reason = token.failures.map(\.description).joined(separator: "; ")
            return [.failed(prefix + "timestampToken", .trust, .formatFailure, "the timestamp token is unreadable: \(reason)")]
        }
        if token.failures.contains(.imprintMismatch) {
            return [.failed(prefix + "timestampImprint", .integrity, .hashFailure, "the timestamp covers different data")]
        }
        let broken = token.failures.filter { $0 != .notATimeStampingCertificate }
        if !broken.isEmpty {
            return [
                .failed(
                    prefix + "timestampSignature", .trust, .sigCryptoFailure,
                    "the TSA signature does not verify: " + broken.map(\.description).joined(separator: "; "))
            ]
        }
        checks.append(.passed(prefix + "timestampImprint", .integrity, "the timestamp covers the signature"))
        guard let tsa = token.tsaCertificate else { return checks }
        guard let trust = options.trust else {
            checks.append(.indeterminate(prefix + "timestampChain", .trust, .noCertificateChainFound, "no trust anchors for the TSA"))
            return checks
        }
        let validation = trust.validate(tsa, intermediates: certificates, at: options.at ?? token.genTime ?? Date())
        if validation.isValid && tsa.allowsTimeStamping {
            checks.append(.passed(prefix + "timestampChain", .trust, "TSA certificate chains to a trusted root"))
        } else {
            let reason = tsa.allowsTimeStamping ? validation.description : "the TSA certificate is not for time-stamping"
            checks.append(.indeterminate(prefix + "timestampChain", .trust, .noCertificateChainFound, reason))
        }
        return checks
    }

    /// The signer's chain (with the DSS certificates as intermediates) and, when asked, its revocation.
    private func trustChecks(_ certificate: Certificate, extra: [Certificate], signingTime: Date?, proven: Bool) -> [Check] {
        let (chain, validation) = chainCheck(
            certificate, extra: extra + DocumentSecurityStore(document: document).certificates, claimed: signingTime)
        var checks = [chain]
        if let revocation = options.revocation {
            checks += RevocationChecks.check(
                "revocation", role: "signer", chain: validation.flatMap { $0.isTrusted ? $0.chain : nil },
                signingTime: signingTime ?? Date(), proven: proven, options: revocation,
                embedded: embeddedRevocationData
            ).checks
        }
        return checks
    }

    /// The certificates of an `adbe.x509.rsa_sha1` /Cert: one string, or an array whose first is the signer's;
    /// the value, the array and its items may each be indirect.
    static func certificates(_ value: PDFObject?, in document: PDFDocument) -> [Certificate] {
        guard let value, let resolved = try? document.resolve(value) else { return [] }
        let items = resolved.arrayValue ?? [resolved]
        return items.compactMap { item in
            guard let string = (try? document.resolve(item))?.stringValue else { return nil }
            return try? Certificate(der: string.bytes)
        }
    }

    /// The chain check, and the validation it came from (nil without trust anchors).
    private func chainCheck(_ certificate: Certificate, extra: [Certificate], claimed: Date?) -> (Check, ChainValidation?) {
        guard let trust = options.trust else {
            return (.indeterminate(
                "certificateChain", .trust, .noCertificateChainFound, "no trust anchors were given to validate \(certificate.subject)"), nil)
        }
        let time = options.at ?? claimed ?? Date()
        let validation = trust.validate(certificate, intermediates: extra, at: time)
        if validation.isValid { return (.passed("certificateChain", .trust, "chain to a trusted root at \(time)"), validation) }
        if !validation.isTrusted {
            return (.indeterminate("certificateChain", .trust, .noCertificateChainFound, validation.description), validation)
        }
        for failure in validation.failures {
            switch failure {
            case .revoked: return (.failed("certificateChain", .trust, .revoked, validation.description), validation)
            case .expired, .notYetValid:
                return (.indeterminate("certificateChain", .trust, .outOfBoundsNoPOE, validation.description), validation)
            default: continue
            }
        }
        return (.indeterminate("certificateChain", .trust, .certificateChainGeneralFailure, validation.description), validation)
    }

    /// Revocation data the document's DSS carries (PAdES B-LT), read once per document.
    private var embeddedRevocationData: RevocationData { document.embeddedRevocationData }

    static func concatenate(_ bytes: [UInt8], _ ranges: [(offset: Int, length: Int)]) -> [UInt8] {
        var out: [UInt8] = []
        for range in ranges { out += bytes[range.offset..<(range.offset + range.length)] }
        return out
    }

    static func algorithmName(_ algorithm: SignatureAlgorithm) -> String {
        switch algorithm {
        case .sm2WithSM3: "SM2-SM3"
        case .rsaPKCS1SHA256, .rsaPSSSHA256: "RSA-SHA256"
        case .rsaPKCS1SHA384: "RSA-SHA384"
        case .rsaPKCS1SHA512: "RSA-SHA512"
        case .rsaPKCS1SHA1: "RSA-SHA1"
        case .ecdsaWithSHA256: "ECDSA-SHA256"
        case .ecdsaWithSHA384: "ECDSA-SHA384"
        case .ecdsaWithSHA512: "ECDSA-SHA512"
        case .ecdsaWithSHA1: "ECDSA-SHA1"
        case .ed25519: "Ed25519"
        }
    }

    static func pdfDate(_ text: String?) -> Date? { PDFDate.parse(text) }
}
