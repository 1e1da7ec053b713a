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
        func finish(algorithm: String? = nil, signer: Certificate? = nil, time: Date? = nil, stamped: Bool = false,
                    seal: SESeal? = nil) -> SignatureReport {
            SignatureReport(
                id: field.name, format: format, algorithm: algorithm, signer: signer?.subject,
                signerSerial: signer?.serialNumberHex, sealName: seal?.name, sealID: seal?.esID, signingTime: time,
                timestamped: stamped, checks: checks)
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
            let token = TimestampTokenCheck(token: blob, imprintOf: { digestOf($0) }, trust: options.trust, at: options.at)
            checks += token.checks
            signingTime = token.time
            timestamped = token.isValid
            signer = token.signer
        } else if let cms = Optional(CMSSignatureCheck(der: blob, contentDigest: digestOf, content: { Self.concatenate(bytes, ranges) })),
            !cms.checks.contains(where: { $0.name == "cmsStructure" && $0.status == .failed }) || (try? SESSignature(bytes: blob)) == nil
        {
            checks += cms.checks
            signer = cms.signerCertificate
            algorithmName = cms.algorithm.map(Self.algorithmName)
            if cms.algorithm == .sm2WithSM3 { format = "pdf.sm2" }
            signingTime = cms.claimedSigningTime ?? signingTime
            if let certificate = cms.signerCertificate {
                if let token = cms.timestampToken {
                    let check = TimestampTokenCheck(
                        token: token, imprintOf: { Digest.hash($0, cms.signatureValue) }, trust: options.trust, at: options.at)
                    checks += check.checks.map { var c = $0; c.name = "timestamp." + c.name; return c }
                    if check.isValid, let time = check.time {
                        timestamped = true
                        signingTime = time
                    }
                } else {
                    checks.append(.skipped("timestamp", .trust, "no signature timestamp"))
                }
                checks.append(chainCheck(certificate, extra: cms.certificates, claimed: signingTime, proven: timestamped))
            }
        } else {
            format = "pdf.ses"
            algorithmName = "SM2-SM3"
            do {
                let signature = try SESSignature(bytes: blob)
                seal = signature.seal
                signer = try? Certificate(der: Array(signature.signerCertificate))
                let sealChecks = SealVerifier.verify(
                    signature: signature, signedData: .digest(digestOf(.sm3)), trust: options.trust,
                    at: options.at ?? signingTime ?? Date())
                checks += sealChecks
            } catch {
                checks.append(.failed("cmsStructure", .integrity, .formatFailure, "/Contents is neither CMS nor an SES_Signature"))
                return finish()
            }
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

    private func chainCheck(_ certificate: Certificate, extra: [Certificate], claimed: Date?, proven: Bool) -> Check {
        guard let trust = options.trust else {
            return .indeterminate(
                "certificateChain", .trust, .noCertificateChainFound, "no trust anchors were given to validate \(certificate.subject)")
        }
        let time = options.at ?? claimed ?? Date()
        let validation = trust.validate(certificate, intermediates: extra, at: time)
        if validation.isValid { return .passed("certificateChain", .trust, "chain to a trusted root at \(time)") }
        if !validation.isTrusted {
            return .indeterminate("certificateChain", .trust, .noCertificateChainFound, validation.description)
        }
        for failure in validation.failures {
            switch failure {
            case .revoked: return .failed("certificateChain", .trust, .revoked, validation.description)
            case .expired, .notYetValid:
                return .indeterminate("certificateChain", .trust, .outOfBoundsNoPOE, validation.description)
            default: continue
            }
        }
        return .indeterminate("certificateChain", .trust, .certificateChainGeneralFailure, validation.description)
    }

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
        }
    }

    /// Parses `D:YYYYMMDDHHmmSS` (+ zone) loosely; nil when absent or unreadable.
    static func pdfDate(_ text: String?) -> Date? {
        guard var text, text.hasPrefix("D:") else { return nil }
        text.removeFirst(2)
        let digits = Array(text.prefix { $0.isASCII && $0.isNumber })
        guard digits.count >= 8 else { return nil }
        func field(_ start: Int, _ length: Int, _ fallback: Int) -> Int {
            start + length <= digits.count ? Int(String(digits[start..<start + length])) ?? fallback : fallback
        }
        var components = DateComponents()
        components.year = field(0, 4, 1970)
        components.month = field(4, 2, 1)
        components.day = field(6, 2, 1)
        components.hour = field(8, 2, 0)
        components.minute = field(10, 2, 0)
        components.second = field(12, 2, 0)
        var offset = 0
        let rest = text.dropFirst(digits.count)
        if let sign = rest.first, sign == "+" || sign == "-" {
            let zone = rest.dropFirst().filter { $0.isASCII && $0.isNumber }
            let hours = Int(String(zone.prefix(2))) ?? 0
            let minutes = Int(String(zone.dropFirst(2).prefix(2))) ?? 0
            offset = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset) ?? TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }
}
