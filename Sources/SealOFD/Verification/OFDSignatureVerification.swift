import ElectronicSeal
import Foundation
import SealCrypto
import SealReport

/// Verifies one `<Signature>` of Signatures.xml: the OFD layer here, the seal or CMS layer in the helpers.
struct OFDSignatureVerification {
    let package: OFDPackage
    let list: OFDSignatureList
    let entry: OFDSignatureList.Entry
    /// Page object IDs of the signed document, for checking where the seal appears (nil: not checked).
    let pageIDs: Set<String>?
    let trust: TrustStore?
    let date: Date
    let revocation: RevocationOptions?
    /// Shared by the signatures of one verification.
    var memo: OFDDigestMemo? = nil

    struct Outcome {
        var report: SignatureReport
        var covered: Set<String>
        var ownFiles: Set<String>
    }

    func run() -> Outcome {
        let isSign = entry.type.caseInsensitiveCompare("Sign") == .orderedSame
        let format = isSign ? "ofd.sign" : "ofd.seal"
        var checks: [Check] = []
        var ownFiles: Set<String> = []
        var quirks: [String] = []
        let id = entry.id.isEmpty ? "(no ID)" : entry.id
        func finish(_ summary: Summary = Summary(), covered: Set<String> = []) -> Outcome {
            var report = SignatureReport(
                id: id, format: format, algorithm: summary.algorithm, signer: summary.signer,
                signerSerial: summary.signerSerial, sealName: summary.sealName, sealID: summary.sealID,
                signingTime: summary.signingTime, timestamped: summary.timestamped, checks: checks)
            report.quirks = quirks + summary.quirks
            return Outcome(report: report, covered: covered, ownFiles: ownFiles)
        }
        // Signature.xml
        guard let signaturePath = package.locate(entry.baseLocation, from: list.path) else {
            checks.append(
                .failed(
                    "signatureFile", .integrity, .signedDataNotFound,
                    "Signature.xml is missing (BaseLoc \(entry.baseLocation))"))
            return finish()
        }
        ownFiles.insert(signaturePath)
        let file: OFDSignatureFile
        do {
            file = try OFDSignatureFile(path: signaturePath, bytes: package.read(signaturePath), limits: package.archive.limits)
        } catch {
            checks.append(.failed("signatureFile", .integrity, .formatFailure, error.reason))
            return finish()
        }
        // SignatureDateTime: read in any real format (a Unix epoch is a quirk); the signature's own time decides.
        var listedTime: Date?
        if let text = file.signatureDateTime?.trimmingXMLWhitespace(), !text.isEmpty {
            if let read = SESTime.read(text) {
                listedTime = read.date
                if let quirk = read.quirk { quirks.append("SignatureDateTime: \(quirk)") }
            } else {
                quirks.append("SignatureDateTime '\(text)' is not a time this reader understands (ignored)")
            }
        }
        // References
        var references = OFDReferenceCheck(package: package, file: file, signatureListPath: list.path) { method, bytes in
            switch method {
            case .sm3, .sm3Keyed: Digest.hash(.sm3, bytes)
            case .sha1: Digest.hash(.sha1, bytes)
            case .sha256: Digest.hash(.sha256, bytes)
            case .md5: try? Digest.md5(bytes)
            }
        }
        references.memo = memo
        let referenceResult = references.run()
        checks += referenceResult.checks
        quirks += referenceResult.quirks
        if let pageIDs {
            let misplaced = file.stampAnnotations.compactMap(\.pageRef).map { $0.trimmingXMLWhitespace() }
                .filter { !pageIDs.contains($0) }
            if !misplaced.isEmpty {
                checks.append(
                    .warning(
                        "stampAnnotation", .integrity,
                        "the seal appearance refers to page object(s) \(misplaced.joined(separator: ", ")), which the "
                            + "document does not list: the seal is not shown there"))
            }
        }
        // SignedValue.dat (SignValue.dat and a missing element tolerated: look beside Signature.xml).
        let signedValuePath = file.signedValueLocation.flatMap { package.locate($0, from: signaturePath) }
            ?? ["SignedValue.dat", "SignValue.dat"].lazy.compactMap { package.locate($0, from: signaturePath) }.first
        guard let signedValuePath, let signedValue = try? package.read(signedValuePath) else {
            checks.append(
                .failed(
                    "signedValue", .integrity, .signedDataNotFound,
                    "the signature value file is missing (SignedValue \(file.signedValueLocation ?? "not named"))"))
            return finish(covered: referenceResult.covered)
        }
        ownFiles.insert(signedValuePath)
        if file.signedValueLocation.flatMap({ package.locate($0, from: signaturePath) }) == nil {
            quirks.append(
                "no usable <SignedValue> element: the value file \(PackagePath.absolute(signedValuePath)) beside "
                    + "Signature.xml was used")
        }
        var sealFile: [UInt8]?
        if let sealLocation = file.sealLocation {
            if let sealPath = package.locate(sealLocation, from: signaturePath), let bytes = try? package.read(sealPath) {
                sealFile = bytes
                ownFiles.insert(sealPath)
            } else {
                checks.append(
                    .failed("sealFile", .integrity, .signedDataNotFound, "the seal file \(sealLocation) is missing"))
            }
        }
        // Some producers store the value base64-encoded; DER starts with 0x30, base64 text never does.
        let value = signedValue.first != 0x30 ? (Base64.decode(String(decoding: signedValue, as: UTF8.self)) ?? signedValue) : signedValue
        if value != signedValue { quirks.append("SignedValue.dat holds the value as base64 text (decoded)") }
        // The Type attribute is what the signer claims; the value's structure decides how to check it.
        if OFDSignedValueKind.isBareSignatureValue(value) {
            checks.append(
                .indeterminate(
                    "signatureValue", .integrity, .noSigningCertificateFound,
                    "SignedValue.dat is a bare SM2 signature value with no certificate (ofdrw's deprecated "
                        + "DigitalSignContainer): the signer cannot be identified, so the signature cannot be checked"))
            return finish(covered: referenceResult.covered)
        }
        let looksLikeCMS = OFDSignedValueKind.isContentInfo(value)
        if looksLikeCMS != isSign {
            checks.append(
                .warning(
                    "signatureType", .integrity,
                    "Type=\"\(entry.type)\" but SignedValue.dat holds \(looksLikeCMS ? "a SignedData" : "an SES_Signature"); "
                        + "checked as what it holds"))
        }
        let summary: Summary
        if looksLikeCMS {
            summary = OFDSignTypeCheck(
                signedValue: value, signatureXML: file.bytes, trust: trust, date: date, revocation: revocation
            ).run(into: &checks)
        } else {
            summary = OFDSealTypeCheck(
                signedValue: value, signatureXML: file.bytes, signaturePath: signaturePath, sealFile: sealFile,
                trust: trust, date: date, revocation: revocation
            ).run(into: &checks)
        }
        var judged = summary
        if judged.signingTime == nil { judged.signingTime = listedTime }
        if let weak = summary.weakAlgorithm {
            checks.append(
                .indeterminate(
                    "signatureAlgorithm", .integrity, .cryptoConstraintsFailure,
                    "the signature uses \(weak): SHA-1 no longer protects against forgery, so a signature value that "
                        + "verifies does not prove the document unchanged"))
        }
        return finish(judged, covered: referenceResult.covered)
    }

    /// What the report says about the signer besides the checks.
    struct Summary {
        var algorithm: String?
        var signer: String?
        var signerSerial: String?
        var sealName: String?
        var sealID: String?
        var signingTime: Date?
        var timestamped = false
        /// Deviations tolerated while reading (SES time formats).
        var quirks: [String] = []
        /// A SHA-1-based signature algorithm, by name: indeterminate (CRYPTO_CONSTRAINTS_FAILURE) however it verifies.
        var weakAlgorithm: String?
    }
}

extension SignatureAlgorithm {
    /// SHA-1-based: verified for old documents, but indeterminate (CRYPTO_CONSTRAINTS_FAILURE) in a report.
    var isSHA1: Bool { self == .rsaPKCS1SHA1 || self == .ecdsaWithSHA1 }
}
