import Foundation
import SealCrypto
import SealReport
import SwiftASN1

/// Verifies electronic seals and seal signatures as GB/T 38540-2020 §7.3 (and GM/T 0031-2014 §6.2.3) lay out,
/// returning every check as a value. Nothing here throws: a broken input is a failed check.
///
/// Every signature is checked over the original bytes (``SESSignature/signedContent``,
/// ``SESeal/makerSignedContent``), never over a re-encoding. Check names are in ``SealCheckName``.
public enum SealVerifier {
    /// Verifies a seal signature: the seal inside it, the binding between signer and seal, the protected data,
    /// the signature value, certificate chains (when `trust` is given) and the timestamp.
    ///
    /// - Parameters:
    ///   - signature: the parsed `SES_Signature`.
    ///   - signedData: the protected content or its digest (OFD: the bytes of `Signature.xml`).
    ///   - trust: trust anchors for the signer, maker and TSA chains; without it those checks are indeterminate.
    ///   - time: the validation time, used when the signing time cannot be read.
    /// - Returns: the checks in the order of §7.3.
    ///   - revocation: revocation checking of the signer and seal-maker chains; nil adds no revocation checks.
    public static func verify(
        signature: SESSignature, signedData: SealSignedData, trust: TrustStore? = nil, at time: Date = Date(),
        revocation: RevocationOptions? = nil
    ) -> [Check] {
        var checks: [Check] = []
        let seal = signature.seal
        checks.append(formatCheck(seal: seal, signature: signature))

        // 1. Signature value over the original TBS_Sign bytes.
        let signer = try? Certificate.cached(der: signature.signerCertificate)
        let maker = try? Certificate.cached(der: seal.makerCertificate)
        checks.append(
            signatureCheck(
                SealCheckName.signatureValue, certificate: signer, certificateName: "signer",
                algorithmOID: signature.signatureAlgorithm, value: signature.signature,
                message: Array(signature.signedContent)))

        // 2. The signer certificate is one the seal admits.
        checks.append(membershipCheck(seal: seal, signerCertificate: signature.signerCertificate))

        // 3. The seal itself: maker signature (once per distinct seal: SealMakerSignatures), validity at the
        // signing time, maker certificate.
        checks.append(SealMakerSignatures.check(seal))
        let stamp = timestampCheck(signature: signature, trust: trust)
        let timing = signingTime(of: signature, timestamp: stamp.proven, fallback: time)
        checks.append(
            validityCheck(
                SealCheckName.sealValidityAtSigning, seal: seal, at: timing.date, what: timing.what,
                proven: timing.proven))

        // 4. The protected data.
        checks.append(dataHashCheck(signature: signature, signedData: signedData))

        // 5. Certificates.
        checks.append(
            chainCheck(
                SealCheckName.signerCertificateChain, certificate: signer, name: "signer certificate", trust: trust,
                at: timing.date, what: timing.what))
        let makerTime = makerValidationTime(seal: seal, signingTime: (timing.date, timing.what))
        checks.append(
            chainCheck(
                SealCheckName.makerCertificateChain, certificate: maker, name: "seal maker certificate",
                trust: trust, at: makerTime.date, what: makerTime.what))

        if let revocation {
            for (name, role, certificate, at) in [
                (SealCheckName.signerRevocation, "signer", signer, timing.date),
                (SealCheckName.makerRevocation, "seal maker", maker, makerTime.date),
            ] {
                guard let certificate else { continue }
                let chain = trust.map { $0.validate(certificate, at: at) }.flatMap { $0.isTrusted ? $0.chain : nil }
                checks += RevocationChecks.check(
                    name, role: role, chain: chain, signingTime: at, proven: timing.proven, options: revocation
                ).checks
            }
        }

        // 6. Timestamp.
        checks.append(stamp.check)
        if let sealStamp = sealTimestampCheck(seal: seal, trust: trust) { checks.append(sealStamp) }
        return checks
    }

    /// Verifies a seal on its own (before it is used): format, maker signature, validity at `time`, and the maker
    /// certificate chain when `trust` is given.
    public static func verify(seal: SESeal, at time: Date = Date(), trust: TrustStore? = nil) -> [Check] {
        let maker = try? Certificate.cached(der: seal.makerCertificate)
        let makerTime = makerValidationTime(seal: seal, signingTime: (time, "the validation time"))
        let sealStamp = sealTimestampCheck(seal: seal, trust: trust).map { [$0] } ?? []
        return [
            formatCheck(seal: seal, signature: nil),
            SealMakerSignatures.check(seal),
            validityCheck(SealCheckName.sealValidity, seal: seal, at: time, what: "the validation time"),
            chainCheck(
                SealCheckName.makerCertificateChain, certificate: maker, name: "seal maker certificate", trust: trust,
                at: makerTime.date, what: makerTime.what),
        ] + sealStamp
    }

    // MARK: - Format

    static func formatCheck(seal: SESeal, signature: SESSignature?) -> Check {
        let header = seal.sealInfo.header
        guard header.id.trimmingCharacters(in: .whitespaces).uppercased() == "ES" else {
            return .failed(SealCheckName.sealFormat, .integrity, .formatFailure, "the seal header ID is not \"ES\"")
        }
        let expected: ClosedRange<Int> = seal.version == .v1 ? 1...3 : seal.version.rawValue...seal.version.rawValue
        if !expected.contains(header.version) {
            return .warning(
                SealCheckName.sealFormat, .integrity,
                "the seal has the \(seal.version.standard) layout but header version \(header.version)")
        }
        if let signature {
            if signature.version == .v1 ? seal.version != .v1 : seal.version == .v1 {
                return .failed(
                    SealCheckName.sealFormat, .integrity, .formatFailure,
                    "a \(signature.version.standard) signature carries a \(seal.version.standard) seal")
            }
            if signature.toSign.version != header.version {
                return .warning(
                    SealCheckName.sealFormat, .integrity,
                    "TBS_Sign version \(signature.toSign.version) differs from seal header version \(header.version)")
            }
        }
        return .passed(SealCheckName.sealFormat, .integrity, "\(seal.version.standard) seal")
    }

    // MARK: - Signatures

    static func signatureCheck(
        _ name: String, certificate: Certificate?, certificateName: String, algorithmOID: ASN1ObjectIdentifier,
        value: SESBitString, message: [UInt8]
    ) -> Check {
        guard let certificate else {
            return .failed(name, .integrity, .formatFailure, "the \(certificateName) certificate cannot be read")
        }
        guard let algorithm = SignatureAlgorithm(oid: algorithmOID) else {
            return .indeterminate(
                name, .integrity, .cryptoConstraintsFailure, "unsupported signature algorithm \(algorithmOID)")
        }
        guard algorithm.fits(certificate.publicKey.algorithm) else {
            return .failed(
                name, .integrity, .sigCryptoFailure,
                "the algorithm \(algorithm) does not fit the \(certificateName) key (\(certificate.publicKey.algorithm))")
        }
        let (bytes, note) = SignatureValue.normalized(value, for: algorithm)
        guard certificate.publicKey.verify(signature: bytes, for: message, algorithm: algorithm) else {
            return .failed(
                name, .integrity, .sigCryptoFailure,
                "the \(certificateName) signature does not verify over the original bytes")
        }
        return .passed(name, .integrity, note.map { "verified (\($0))" } ?? "verified (\(algorithm))")
    }

    // MARK: - Binding between signer and seal

    static func membershipCheck(seal: SESeal, signerCertificate: ArraySlice<UInt8>) -> Check {
        let name = SealCheckName.signerInSealCertList
        switch seal.sealInfo.property.certList {
        case .certificates(let list):
            if list.contains(where: { $0 == signerCertificate }) {
                return .passed(name, .trust, "the signer certificate is listed in the seal")
            }
            // The same certificate encoded differently (a vendor re-encoded it): same issuer, serial and key.
            if let signer = try? Certificate(der: Array(signerCertificate)),
                list.contains(where: { entry in
                    guard let listed = try? Certificate(der: Array(entry)) else { return false }
                    return listed.issuerName == signer.issuerName && listed.serialNumber == signer.serialNumber
                        && listed.publicKey == signer.publicKey
                })
            {
                return .passed(
                    name, .trust, "the signer certificate is listed in the seal (same issuer, serial and key; encoded differently)")
            }
            return .failed(
                name, .trust, .sigConstraintsFailure, "the signer certificate is not in the seal's certificate list")
        case .certificateDigests(let digests):
            for digest in digests {
                for algorithm in candidateDigests(digest.type)
                where Digest.hash(algorithm, signerCertificate)[...] == digest.value {
                    return .passed(name, .trust, "the signer certificate matches a listed \(algorithm) digest")
                }
            }
            return .failed(
                name, .trust, .sigConstraintsFailure, "the signer certificate matches no digest in the seal")
        case .certificateIdentifiers:
            return .indeterminate(
                name, .trust, .noSigningCertificateFound,
                "the seal lists certificate identifiers, not certificates; the signer cannot be matched")
        }
    }

    /// The digests a vendor-defined `CertDigestObj.type` may name; every known one when the name is unknown.
    static func candidateDigests(_ type: String) -> [DigestAlgorithm] {
        let key = type.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "." }
        if let oid = try? ASN1ObjectIdentifier(dotRepresentation: key), let algorithm = DigestAlgorithm(oid: oid) {
            return [algorithm]
        }
        switch key {
        case "sm3": return [.sm3]
        case "sha1": return [.sha1]
        case "sha256": return [.sha256]
        case "sha384": return [.sha384]
        case "sha512": return [.sha512]
        default: return DigestAlgorithm.allCases
        }
    }

    // MARK: - Times

    /// The signing time: from the timestamp when one verifies, otherwise the claimed `timeInfo`.
    static func signingTime(
        of signature: SESSignature, timestamp: Date?, fallback: Date
    ) -> (date: Date, what: String, proven: Bool) {
        if let timestamp { return (timestamp, "the timestamped signing time", true) }
        if let date = signature.toSign.timeInfo.date {
            return (date, "the claimed signing time", false)
        }
        return (fallback, "the validation time (the signing time cannot be read)", true)
    }

    /// GM/T 0031-2025 (v5) validates the maker certificate at the seal's creation; earlier versions at the
    /// time the seal is used.
    static func makerValidationTime(seal: SESeal, signingTime: (Date, String)) -> (date: Date, what: String) {
        if seal.version == .v5, let created = seal.sealInfo.property.createDate.date {
            return (created, "the seal creation time")
        }
        return (signingTime.0, signingTime.1)
    }

    /// The seal's validity period against a time.
    ///
    /// - Parameter proven: true when the time is proven (a verified timestamp, or the validation time itself);
    ///   a seal outside its validity then fails. Against a merely claimed signing time the outcome is
    ///   INDETERMINATE / OUT_OF_BOUNDS_NO_POE, as ETSI EN 319 102-1 treats an expired certificate without proof
    ///   of existence.
    static func validityCheck(_ name: String, seal: SESeal, at date: Date, what: String, proven: Bool = true) -> Check {
        let property = seal.sealInfo.property
        guard let start = property.validStart.date, let end = property.validEnd.date else {
            return .failed(name, .trust, .formatFailure, "the seal validity dates cannot be read")
        }
        guard start <= end else {
            return .failed(name, .trust, .formatFailure, "the seal validity ends before it starts")
        }
        let stamp = SealPolicy.readable(date)
        let problem: String? =
            date < start ? "the seal was not yet valid at \(what) (\(stamp))"
            : date > end ? "the seal had expired at \(what) (\(stamp))" : nil
        guard let problem else { return .passed(name, .trust, "the seal was valid at \(what) (\(stamp))") }
        if proven { return .failed(name, .trust, .sigConstraintsFailure, problem) }
        return .indeterminate(name, .trust, .outOfBoundsNoPOE, problem + "; no timestamp proves the signing time")
    }

    // MARK: - Protected data

    /// Compares `dataHash` with the digest of the protected content. The signature's digest is tried first;
    /// when dataHash has another length, the digests of that length are tried (GM/T 0031-2014 allows RSA with
    /// SHA-1 or SHA-256). A dataHash written as Base64 or hex text of the digest is accepted and noted.
    static func dataHashCheck(signature: SESSignature, signedData: SealSignedData) -> Check {
        let name = SealCheckName.dataHash
        let preferred = SignatureAlgorithm(oid: signature.signatureAlgorithm)?.digest ?? .sm3
        let written = Array(signature.toSign.dataHash.bytes)
        let candidates: [DigestAlgorithm]
        switch signedData {
        case .unavailable:
            return .skipped(name, .integrity, "the protected content was not provided")
        case .digest:
            candidates = [preferred]
        case .content:
            candidates = [preferred] + DigestAlgorithm.allCases.filter {
                $0 != preferred && $0.outputByteCount == written.count
            }
        }
        for algorithm in candidates {
            let actual: [UInt8]
            switch signedData {
            case .digest(let digest): actual = digest
            case .content(let content): actual = Digest.hash(algorithm, content)
            case .unavailable: return .skipped(name, .integrity, "the protected content was not provided")
            }
            if signature.toSign.dataHash.octets(padTo: actual.count) == actual {
                return .passed(name, .integrity, "dataHash matches (\(algorithm))")
            }
            if written == Array(Data(actual).base64EncodedString().utf8) {
                return .passed(name, .integrity, "dataHash matches (\(algorithm), written as Base64 text: non-standard)")
            }
            if String(decoding: written, as: UTF8.self).lowercased() == actual.hex {
                return .passed(name, .integrity, "dataHash matches (\(algorithm), written as hex text: non-standard)")
            }
        }
        return .failed(name, .integrity, .hashFailure, "dataHash does not match the protected content")
    }

    // MARK: - Certificates

    static func chainCheck(
        _ name: String, certificate: Certificate?, name certificateName: String, trust: TrustStore?, at date: Date,
        what: String
    ) -> Check {
        guard let certificate else {
            return .failed(name, .trust, .formatFailure, "the \(certificateName) cannot be read")
        }
        if let usage = certificate.keyUsage, !usage.contains(.digitalSignature), !usage.contains(.nonRepudiation) {
            return .indeterminate(
                name, .trust, .chainConstraintsFailure,
                "the \(certificateName)'s key usage (\(usage)) allows neither digitalSignature nor nonRepudiation")
        }
        guard let trust else {
            if !certificate.isValid(at: date) {
                return .indeterminate(
                    name, .trust, .outOfBoundsNoPOE, "the \(certificateName) was outside its validity at \(what)")
            }
            return .indeterminate(
                name, .trust, .noCertificateChainFound, "no trust anchors were given for the \(certificateName)")
        }
        let result = trust.validate(certificate, at: date)
        if result.isValid {
            return .passed(name, .trust, "the \(certificateName) chains to a trust anchor and was valid at \(what)")
        }
        let reasons = result.failures.map(\.description).joined(separator: "; ")
        for failure in result.failures {
            if case .revoked = failure { return .failed(name, .trust, .revoked, reasons) }
        }
        let sub: SubIndication
        switch result.failures.first {
        case .untrusted: sub = .noCertificateChainFound
        case .expired, .notYetValid: sub = .outOfBoundsNoPOE
        case .issuerNotCA, .pathTooLong, .unhandledCriticalExtension: sub = .chainConstraintsFailure
        default: sub = .certificateChainGeneralFailure
        }
        return .indeterminate(name, .trust, sub, reasons)
    }

    // MARK: - Timestamp

    /// The `timeStamp` over the signature value: an RFC 3161 token whose imprint covers the signature octets.
    /// Returns the proven signing time (genTime) only when the token verifies and its TSA chains to `trust`.
    static func timestampCheck(signature: SESSignature, trust: TrustStore?) -> (check: Check, proven: Date?) {
        let name = SealCheckName.timestamp
        if signature.timeStamp == nil, signature.toSign.timeInfo.timeStampToken != nil {
            return (
                .indeterminate(
                    name, .trust, .signedDataNotFound,
                    "timeInfo holds a timestamp token whose imprint target GM/T 0031-2014 does not define"), nil
            )
        }
        guard let token = signature.timeStamp else {
            return (.skipped(name, .trust, "the signature carries no timestamp"), nil)
        }
        return tokenCheck(
            name, token: Array(token), over: Array(signature.signature.bytes), trust: trust, notBefore: nil)
    }

    /// GM/T 0031-2025 (v5) seal timestamp over the maker signature; nil when the seal has none.
    static func sealTimestampCheck(seal: SESeal, trust: TrustStore?) -> Check? {
        guard let token = seal.timeStamp else { return nil }
        return tokenCheck(
            SealCheckName.sealTimestamp, token: Array(token), over: Array(seal.signInfo.signature.bytes), trust: trust,
            notBefore: seal.sealInfo.property.createDate.date
        ).check
    }

    static func tokenCheck(
        _ name: String, token: [UInt8], over data: [UInt8], trust: TrustStore?, notBefore: Date?
    ) -> (check: Check, proven: Date?) {
        let result = TimeStampVerification.verify(tokenDER: token, messageImprintOf: data, trust: trust)
        let reasons = result.failures.map(\.description).joined(separator: "; ")
        for failure in result.failures {
            switch failure {
            case .malformed:
                return (.failed(name, .trust, .formatFailure, reasons), nil)
            case .imprintMismatch:
                return (.failed(name, .trust, .hashFailure, reasons), nil)
            case .signature(let cms):
                switch cms {
                case .chain: continue
                case .signatureInvalid, .digestMismatch, .signingCertificateMismatch, .contentTypeMismatch:
                    return (.failed(name, .trust, .sigCryptoFailure, reasons), nil)
                default:
                    return (.indeterminate(name, .trust, .certificateChainGeneralFailure, reasons), nil)
                }
            case .unsupportedHash:
                return (.indeterminate(name, .trust, .cryptoConstraintsFailure, reasons), nil)
            case .notATimeStampingCertificate:
                return (.indeterminate(name, .trust, .chainConstraintsFailure, reasons), nil)
            }
        }
        guard let genTime = result.genTime else {
            return (.failed(name, .trust, .formatFailure, "the token has no time"), nil)
        }
        let stamp = SealPolicy.readable(genTime)
        if let notBefore, genTime < notBefore {
            return (.failed(name, .trust, .sigConstraintsFailure, "the timestamp (\(stamp)) precedes the seal's creation"), nil)
        }
        if !result.failures.isEmpty {
            return (.indeterminate(name, .trust, .noCertificateChainFound, "TSA certificate chain: \(reasons)"), nil)
        }
        guard trust != nil else {
            return (
                .indeterminate(
                    name, .trust, .noCertificateChainFound,
                    "the token verifies (\(stamp)) but no trust anchors were given for the TSA"), nil
            )
        }
        return (.passed(name, .trust, "timestamp at \(stamp) verifies and its TSA is trusted"), genTime)
    }
}
