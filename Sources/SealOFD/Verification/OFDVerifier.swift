public import Foundation
public import SealCrypto
public import SealReport

/// Verifies every signature of an OFD document and reports each check with its reason.
///
/// Nothing here throws: a document that cannot even be opened yields a report whose document checks say why.
/// The flow is GB/T 38540-2020 §7.3 / GM/T 0031-2014 §6.2.3 plus the OFD layer (GB/T 33190 §18): each
/// Reference digest, Seal.esl against the embedded seal, dataHash = SM3(Signature.xml), the signature value over
/// the original `toSign` bytes, the signer in the seal's certificate list, the seal maker's signature,
/// certificate chains and seal validity at the signing time, the timestamp, and coverage.
public enum OFDVerifier {
    /// Verifies a document.
    ///
    /// - Parameters:
    ///   - bytes: the OFD package.
    ///   - trust: trust anchors for certificate chains; without them trust checks are indeterminate.
    ///   - date: when the verification happens (certificate and seal validity use the signing time).
    ///   - limits: bounds on the package, for hostile inputs.
    ///   - revocation: revocation checking of signer and seal-maker chains; nil adds no revocation checks.
    public static func verify(
        _ bytes: [UInt8], trust: TrustStore? = nil, at date: Date = Date(), limits: OFDPackageLimits = .standard,
        revocation: RevocationOptions? = nil
    ) -> VerificationReport {
        let sha256 = Hex.string(Digest.hash(.sha256, bytes))
        let package: OFDPackage
        let listPaths: [(list: String, document: String?)]
        do {
            package = try OFDPackage(bytes, limits: limits)
            listPaths = try signatureLists(in: package)
        } catch {
            return VerificationReport(
                format: DocumentFormat.ofd.rawValue, documentSHA256: sha256, signatures: [],
                documentChecks: [.failed("package", .integrity, .formatFailure, error.reason)], verifiedAt: date)
        }
        guard !listPaths.isEmpty else {
            return VerificationReport(
                format: DocumentFormat.ofd.rawValue, documentSHA256: sha256, signatures: [],
                documentChecks: [.passed("package", .integrity, "the package opens and OFD.xml names no signature list")],
                verifiedAt: date)
        }
        var reports: [SignatureReport] = []
        var covered: Set<String> = []
        var ownFiles: Set<String> = []
        var documentChecks: [Check] = []
        let memo = OFDDigestMemo()
        for (listPath, documentPath) in listPaths {
            let ids: Set<String>? = documentPath.flatMap { path in Self.pageIDs(of: path, in: package) }
            ownFiles.insert(listPath)
            let list: OFDSignatureList
            do {
                list = OFDSignatureList(path: listPath, root: try package.xml(listPath))
            } catch {
                documentChecks.append(.failed("signatureList", .integrity, .formatFailure, error.reason))
                continue
            }
            if list.entries.isEmpty {
                documentChecks.append(.warning("signatureList", .integrity, "\(PackagePath.absolute(listPath)) lists no signature"))
            }
            for entry in list.entries {
                let outcome = OFDSignatureVerification(
                    package: package, list: list, entry: entry, pageIDs: ids, trust: trust, date: date,
                    revocation: revocation, memo: memo
                ).run()
                reports.append(outcome.report)
                covered.formUnion(outcome.covered)
                ownFiles.formUnion(outcome.ownFiles)
            }
        }
        documentChecks.append(coverage(package: package, covered: covered, ownFiles: ownFiles))
        if let stripped = removedSignatures(covered: covered, ownFiles: ownFiles) { documentChecks.append(stripped) }
        return VerificationReport(
            format: DocumentFormat.ofd.rawValue, documentSHA256: sha256, signatures: reports,
            documentChecks: documentChecks, verifiedAt: date)
    }

    /// The signature lists every DocBody of OFD.xml names. Verification needs nothing else from the document
    /// model, so a Document.xml this engine cannot read never hides a signature.
    static func signatureLists(in package: OFDPackage) throws(OFDError) -> [(list: String, document: String?)] {
        let ofdPath = package.archive.entry("OFD.xml")!.path
        let root = try package.xml(ofdPath)
        guard root.child("DocBody") != nil else { throw OFDError(.malformedDocument, "OFD.xml has no DocBody") }
        var paths: [(list: String, document: String?)] = []
        for body in root.children("DocBody") {
            guard let location = body.childText("Signatures"), !location.isEmpty else { continue }
            guard let path = package.locate(location, from: ofdPath) else {
                throw OFDError(.missingFile, "OFD.xml names \(location) as a signature list, but the package has no such file")
            }
            let document = body.childText("DocRoot").flatMap { package.locate($0, from: ofdPath) }
            if !paths.contains(where: { $0.list == path }) { paths.append((path, document)) }
        }
        return paths
    }

    /// The page object IDs a Document.xml lists, or nil when it cannot be read (then appearances are not checked).
    static func pageIDs(of documentPath: String, in package: OFDPackage) -> Set<String>? {
        guard let document = try? package.xml(documentPath), let pages = document.child("Pages") else { return nil }
        return Set(pages.children("Page").compactMap { $0.attribute("ID")?.trimmingXMLWhitespace() })
    }

    /// A later signature protects an earlier one's Signature.xml, but no listed signature owns it: the earlier
    /// signature was taken out of Signatures.xml after the later one was made (a stripped seal).
    static func removedSignatures(covered: Set<String>, ownFiles: Set<String>) -> Check? {
        let orphans = covered.filter { path in
            path.lowercased().hasSuffix("/signature.xml") && !ownFiles.contains(path)
        }.sorted()
        guard !orphans.isEmpty else { return nil }
        return .failed(
            "removedSignature", .integrity, .formatFailure,
            "a signature protects \(OFDReferenceCheck.list(orphans.map(PackagePath.absolute))), but Signatures.xml no "
                + "longer lists it: a signature was removed from the document")
    }

    /// Which files no signature protects. Signatures.xml and the signatures' own files are expected to be
    /// unprotected; anything else (a file added after signing, images a signer chose to leave out) is listed.
    static func coverage(package: OFDPackage, covered: Set<String>, ownFiles: Set<String>) -> Check {
        let uncovered = package.archive.filePaths.filter { !covered.contains($0) && !ownFiles.contains($0) }
        if uncovered.isEmpty {
            return .passed("coverage", .integrity, "every file of the package is protected by a signature")
        }
        return .warning(
            "coverage", .integrity,
            "\(uncovered.count) file(s) are protected by no signature (added after signing, or left out by the signer): "
                + OFDReferenceCheck.list(uncovered.map(PackagePath.absolute)))
    }
}
