import Foundation
import SealCrypto

/// The certificates and revocation data that let a document's signatures be validated later without the
/// network: every signer and TSA chain up to its anchor, and a CRL or OCSP response for each certificate below it.
public struct PDFValidationMaterial: Sendable {
    public var certificates: [Certificate] = []
    public var revocation = RevocationData()
    /// Certificates below an anchor for which no revocation status could be had (and why).
    public var missing: [String] = []

    /// True when `store` already holds every certificate, CRL and OCSP response of this material.
    public func isHeld(by store: DocumentSecurityStore) -> Bool {
        certificates.allSatisfy(store.certificates.contains)
            && revocation.crls.allSatisfy(store.revocation.crls.contains)
            && revocation.ocspResponses.allSatisfy(store.revocation.ocspResponses.contains)
    }

    /// Gathers the material for every signature and document timestamp of `document`.
    ///
    /// - Parameters:
    ///   - checker: fetches (online) the revocation data; its answers are embedded as they came.
    ///   - anchors: roots (and intermediates) that complete chains the signatures do not carry.
    ///   - now: the time fetched data must be current at.
    public static func gather(
        _ document: PDFDocument, checker: RevocationChecker, anchors: [Certificate] = [], now: Date = Date()
    ) -> PDFValidationMaterial {
        var material = PDFValidationMaterial()
        var leaves: [Certificate] = []
        var pool: [Certificate] = anchors
        func collect(_ signedData: CMSSignedData) {
            pool += signedData.certificates
            for info in signedData.signerInfos {
                if let signer = signedData.certificate(for: info) { leaves.append(signer) }
                if let token = info.timeStampTokenDER, let stamp = try? CMSSignedData(der: token) { collect(stamp) }
            }
        }
        for field in SignatureFieldLocator.signatureFields(document) {
            guard field.readable else {
                material.missing.append("the signature dictionary of \(field.name) cannot be read")
                continue
            }
            guard let contents = field.signature["Contents"]?.stringValue?.bytes else { continue }
            // Exactly the first element: the reservation's zero padding follows it, and a signature whose own
            // last byte is 0x00 (one in 256) must not lose it, as stripping trailing zeros would.
            let element = EncodedLength.ofFirstElement(contents).map { Array(contents[0..<$0]) } ?? contents
            guard let signedData = (try? CMSSignedData(der: element)) ?? (try? CMSSignedData(der: contents)) else {
                // Skipping it would write a DSS that looks complete and validates nothing of this signature.
                material.missing.append("the signature \(field.name.isEmpty ? "(unnamed)" : field.name) cannot be read as CMS")
                continue
            }
            collect(signedData)
        }
        var seen: Set<Certificate> = []
        for leaf in leaves {
            var current = leaf
            var depth = 0
            while depth < 10 {
                depth += 1
                if seen.insert(current).inserted { material.certificates.append(current) }
                if current.isSelfIssued && current.isIssued(by: current) { break }
                guard let issuer = pool.first(where: { current.isIssued(by: $0) }) else {
                    material.missing.append("no issuer certificate for \(current.subject) (give it as a trust anchor)")
                    break
                }
                if !current.hasOCSPNoCheck {
                    let outcome = checker.check(current, issuer: issuer, now: now)
                    switch outcome.result {
                    case .status(let status):
                        if case .unknown = status.state {
                            material.missing.append("\(current.subject): the responder does not know the certificate")
                        }
                        material.revocation.merge(outcome.evidence)
                    case .unknown(let reasons):
                        material.missing.append("\(current.subject): " + reasons.joined(separator: "; "))
                    case .notPublished:
                        material.missing.append("\(current.subject) names no CRL or OCSP location")
                    case .offline:
                        material.missing.append("\(current.subject): offline")
                    }
                }
                current = issuer
            }
        }
        // OCSP responders' certificates travel in their responses; validators need their chains too.
        return material
    }
}
