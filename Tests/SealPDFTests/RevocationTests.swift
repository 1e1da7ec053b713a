import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import SealRevocation
import SealTestSupport
import Testing

@testable import SealPDF

/// Revocation of PDF signers against a local CA made by `openssl`: OCSP from `openssl ocsp`, CRLs over HTTP
/// from `python3 -m http.server`, both on loopback ports of their own.
@Suite(.peer("openssl and python3") {
    TestEnvironment.executable("openssl") != nil && TestEnvironment.executable("python3") != nil
})
struct RevocationTests {
    static func signed(_ issued: RevocationTestPKI.Issued, pki: RevocationTestPKI, format: PDFSignatureFormat = .padesBB,
                       timestamper: (any TimeStampProvider)? = nil, signingTime: Date = Date()) throws -> [UInt8] {
        var request = SignFixtures.request(try issued.signer(chain: [pki.root]), format: format)
        request.timestamper = timestamper
        request.signingTime = signingTime
        return try PDFStamper.stamp(try SignFixtures.corpus("sf-minimal-document.pdf"), request: request)
    }

    static func verify(
        _ bytes: [UInt8], pki: RevocationTestPKI, policy: RevocationPolicy = .soft, checker: RevocationChecker? = nil
    ) -> (report: VerificationReport, revocation: [Check]) {
        let options = PDFVerifyOptions(
            trust: TrustStore(roots: [pki.root] + SignFixtures.pki.trustStore.roots),
            revocation: RevocationOptions(
                policy: policy, checker: checker ?? RevocationChecker(fetcher: HTTPRevocationFetcher(timeout: .seconds(5)))))
        let report = PDFVerifier.verify(bytes, options: options)
        let checks = report.signatures.first?.checks.filter { $0.name.hasPrefix("revocation") } ?? []
        return (report, checks)
    }

    @Test func certificatesNameTheirOCSPResponderAndCRL() throws {
        let pki = try RevocationTestPKI()
        let issued = try pki.issue("locations")
        #expect(issued.certificate.ocspResponders == [pki.ocspURL])
        #expect(issued.certificate.crlDistributionPoints == [pki.crlURL])
        let bare = try pki.issue("bare", ocsp: false, crl: false)
        #expect(!bare.certificate.publishesRevocationInformation)
    }

    @Test func goodRevokedAndUnknownSignersOverOCSPAndCRL() throws {
        let pki = try RevocationTestPKI()
        let good = try pki.issue("good")
        let revoked = try pki.issue("revoked")
        let unknown = try pki.issue("unknown", crl: false, listed: false)
        let crlGood = try pki.issue("crl-good", ocsp: false)
        let crlRevoked = try pki.issue("crl-revoked", ocsp: false)
        let revocationTime = Date().addingTimeInterval(-5)
        pki.revoke(revoked, at: revocationTime)
        pki.revoke(crlRevoked, at: revocationTime)
        try pki.publish()
        try pki.start()
        defer { pki.stop() }
        let checker = RevocationChecker(fetcher: HTTPRevocationFetcher(timeout: .seconds(5)))

        let goodResult = Self.verify(try Self.signed(good, pki: pki), pki: pki, checker: checker)
        #expect(goodResult.report.indication == .passed, "\(goodResult.report.signatures.map(\.checks))")
        #expect(goodResult.revocation.count == 1)
        #expect(goodResult.revocation.first?.status == .passed)
        #expect(goodResult.revocation.first?.reason?.contains("OCSP \(pki.ocspURL)") == true, "\(goodResult.revocation)")

        let revokedResult = Self.verify(try Self.signed(revoked, pki: pki), pki: pki, checker: checker)
        #expect(revokedResult.report.indication == .failed)
        #expect(revokedResult.revocation.first?.status == .failed)
        #expect(revokedResult.revocation.first?.subIndication == .revoked, "\(revokedResult.revocation)")
        #expect(revokedResult.report.verdict.subIndication == .revoked)

        let unknownResult = Self.verify(try Self.signed(unknown, pki: pki), pki: pki, checker: checker)
        #expect(unknownResult.report.indication == .indeterminate)
        #expect(unknownResult.revocation.first?.subIndication == .tryLater)
        #expect(unknownResult.revocation.first?.reason?.hasPrefix("REVOCATION_UNKNOWN") == true, "\(unknownResult.revocation)")

        let crlGoodResult = Self.verify(try Self.signed(crlGood, pki: pki), pki: pki, checker: checker)
        #expect(crlGoodResult.report.indication == .passed, "\(crlGoodResult.revocation)")
        #expect(crlGoodResult.revocation.first?.reason?.contains("CRL \(pki.crlURL)") == true, "\(crlGoodResult.revocation)")

        let crlRevokedResult = Self.verify(try Self.signed(crlRevoked, pki: pki), pki: pki, checker: checker)
        #expect(crlRevokedResult.revocation.first?.subIndication == .revoked, "\(crlRevokedResult.revocation)")
        #expect(crlRevokedResult.report.indication == .failed)

        // The answers stay cached until their nextUpdate: with both servers down the same checker still knows.
        pki.stop()
        let cached = Self.verify(try Self.signed(good, pki: pki), pki: pki, checker: checker)
        #expect(cached.revocation.first?.status == .passed, "\(cached.revocation)")
        let cachedCRL = Self.verify(try Self.signed(crlRevoked, pki: pki), pki: pki, checker: checker)
        #expect(cachedCRL.revocation.first?.subIndication == .revoked, "\(cachedCRL.revocation)")
    }

    @Test func responderDownIsIndeterminateAndPoliciesDiffer() throws {
        let pki = try RevocationTestPKI()
        let good = try pki.issue("good")
        let bare = try pki.issue("bare", ocsp: false, crl: false)
        try pki.publish()
        // The servers are never started: the responder and the CRL server are down.
        let signed = try Self.signed(good, pki: pki)
        for policy in [RevocationPolicy.soft, .hard] {
            let result = Self.verify(signed, pki: pki, policy: policy)
            #expect(result.report.indication == .indeterminate)
            #expect(result.report.verdict.subIndication == .tryLater, "\(result.report.signatures.map(\.checks))")
            #expect(result.revocation.first?.reason?.contains("REVOCATION_UNKNOWN") == true)
        }
        // A certificate that names no CRL or OCSP location: soft does not hold it against the signature, hard does.
        let bareSigned = try Self.signed(bare, pki: pki)
        let soft = Self.verify(bareSigned, pki: pki, policy: .soft)
        #expect(soft.report.indication == .passed, "\(soft.revocation)")
        #expect(soft.revocation.first?.status == .skipped)
        let hard = Self.verify(bareSigned, pki: pki, policy: .hard)
        #expect(hard.report.indication == .indeterminate)
        #expect(hard.revocation.first?.subIndication == .tryLater)
        // Offline: nothing fetched; soft reports it as not checked, hard as unknown; off is not checked at all.
        let offline = Self.verify(signed, pki: pki, policy: .soft, checker: RevocationChecker(fetcher: nil))
        #expect(offline.report.indication == .passed)
        #expect(offline.revocation.first?.status == .skipped)
        #expect(offline.revocation.first?.reason?.contains("offline") == true)
        let offlineHard = Self.verify(signed, pki: pki, policy: .hard, checker: RevocationChecker(fetcher: nil))
        #expect(offlineHard.revocation.first?.subIndication == .tryLater)
        let off = Self.verify(signed, pki: pki, policy: .off)
        #expect(off.report.indication == .passed)
        #expect(off.revocation.map(\.status) == [.skipped])
    }

    @Test func revokedAfterTheSigningTimeNeedsATimestampToPass() throws {
        let pki = try RevocationTestPKI()
        let signer = try pki.issue("later-revoked")
        let tsa = try LocalTimeStampAuthority(signer: try SignFixtures.pki.tsa.signer())
        let stamped = try Self.signed(signer, pki: pki, format: .padesBT, timestamper: tsa)
        let claimed = try Self.signed(signer, pki: pki)
        // Revoked after both signatures were made (whole seconds, as the index records them).
        Thread.sleep(forTimeInterval: 1.1)
        pki.revoke(signer, at: Date().addingTimeInterval(1))
        try pki.publish()
        try pki.start()
        defer { pki.stop() }

        let proven = Self.verify(stamped, pki: pki)
        #expect(proven.report.signatures.first?.timestamped == true)
        #expect(proven.report.indication == .passed, "\(proven.report.signatures.map(\.checks))")
        #expect(proven.revocation.first?.status == .passed)
        #expect(proven.revocation.first?.reason?.contains("after the signing time") == true, "\(proven.revocation)")

        let unproven = Self.verify(claimed, pki: pki)
        #expect(unproven.report.indication == .indeterminate)
        #expect(unproven.revocation.first?.subIndication == .revokedNoPOE, "\(unproven.revocation)")
    }

    /// An OCSP "responder" answering every request with a response signed by `responder` (the CA's delegated
    /// responder, an unrelated key, …); CRLs are never there.
    struct SigningResponder: RevocationFetcher {
        let pki: RevocationTestPKI
        let responder: RevocationTestPKI.Issued
        var includeCertificate = true

        func get(_ url: String) throws(CryptoError) -> [UInt8] { throw CryptoError(.network, "no CRL here") }
        func post(_ url: String, body: [UInt8], contentType: String) throws(CryptoError) -> [UInt8] {
            do {
                return try pki.ocspResponse(to: body, signedBy: responder, includeCertificate: includeCertificate)
            } catch {
                throw CryptoError(.network, "the test responder failed: \(error)")
            }
        }
    }

    /// RFC 6960 §4.2.2.2: only the CA itself or a responder it issued with id-kp-OCSPSigning may answer for its
    /// certificates. A "good" signed by anyone else is no status: REVOCATION_UNKNOWN, indeterminate TRY_LATER —
    /// fetched or embedded in a DSS.
    @Test func ocspAnswersFromRespondersTheCADidNotAuthoriseAreNotTrusted() throws {
        let pki = try RevocationTestPKI()
        let signer = try pki.issue("signer", crl: false)
        let delegated = try pki.issueResponder("delegated", ocspSigning: true)
        let undelegated = try pki.issueResponder("undelegated", ocspSigning: false)
        let unrelated = try pki.unrelatedResponder("unrelated")
        try pki.publish()
        let request = try OCSPRequest(certificate: signer.certificate, issuer: pki.root, nonce: false)
        func evaluate(_ responder: RevocationTestPKI.Issued, includeCertificate: Bool = true) throws -> OCSPResponse.Evaluation {
            let der = try pki.ocspResponse(to: request.der, signedBy: responder, includeCertificate: includeCertificate)
            return try OCSPResponse(der: der).status(of: signer.certificate, issuer: pki.root)
        }
        guard case .status(let status) = try evaluate(delegated) else {
            Issue.record("the CA's delegated responder must be believed")
            return
        }
        #expect(status.state == .good)
        for (name, evaluation) in [
            ("unrelated key under the CA's name", try evaluate(unrelated)),
            ("unrelated key, certificate left out", try evaluate(unrelated, includeCertificate: false)),
            ("CA certificate without id-kp-OCSPSigning", try evaluate(undelegated)),
        ] {
            guard case .unusable(let reason) = evaluation else {
                Issue.record("\(name): believed \(evaluation)")
                continue
            }
            // Under the CA's name the response is checked against the CA's key (it fails); a certificate of the
            // CA without the purpose is refused as a responder.
            let expected = name.hasPrefix("unrelated") ? "does not verify" : "neither the issuer nor delegated"
            #expect(reason.contains(expected), "\(name): \(reason)")
        }

        // Through the verifier: fetched from a responder that signs with the unrelated key …
        let signed = try Self.signed(signer, pki: pki)
        let forged = Self.verify(
            signed, pki: pki, checker: RevocationChecker(fetcher: SigningResponder(pki: pki, responder: unrelated)))
        #expect(forged.report.indication == .indeterminate, "\(forged.revocation)")
        #expect(forged.revocation.first?.subIndication == .tryLater)
        #expect(forged.revocation.first?.reason?.hasPrefix("REVOCATION_UNKNOWN") == true, "\(forged.revocation)")
        #expect(forged.revocation.first?.reason?.contains("does not verify") == true, "\(forged.revocation)")
        let honest = Self.verify(
            signed, pki: pki, checker: RevocationChecker(fetcher: SigningResponder(pki: pki, responder: delegated)))
        #expect(honest.report.indication == .passed, "\(honest.revocation)")

        // … or embedded in a DSS (B-LT) and read offline.
        let forgedResponse = try OCSPResponse(der: try pki.ocspResponse(to: request.der, signedBy: unrelated))
        var material = PDFValidationMaterial()
        material.certificates = [signer.certificate, pki.root]
        material.revocation = RevocationData(ocspResponses: [forgedResponse])
        let withDSS = try PDFLongTermValidation.addDSS(try PDFDocument(bytes: signed), material: material).bytes
        let embedded = Self.verify(withDSS, pki: pki, policy: .hard, checker: RevocationChecker(fetcher: nil))
        #expect(embedded.report.indication == .indeterminate, "\(embedded.revocation)")
        #expect(embedded.revocation.first?.subIndication == .tryLater)
        #expect(embedded.revocation.first?.reason?.contains("embedded OCSP response") == true, "\(embedded.revocation)")
    }

    /// An embedded "good" answer issued before the signing time says nothing about the certificate at that time:
    /// it does not count (REVOCATION_UNKNOWN → TRY_LATER); the same answer issued after the signing time does.
    @Test func embeddedAnswersOlderThanTheSigningTimeDoNotCount() throws {
        let pki = try RevocationTestPKI()
        let signer = try pki.issue("signer", crl: false)
        let responder = try pki.issueResponder("delegated", ocspSigning: true)
        try pki.publish()
        let request = try OCSPRequest(certificate: signer.certificate, issuer: pki.root, nonce: false)
        func embeddedVerdict(_ signed: [UInt8], crl: Bool = false) throws -> (VerificationReport, [Check]) {
            // Produced now: after a signature made before, an hour before one claiming a time an hour ahead. The CRL
            // is from publish(), seconds before the first signature: within the 5 minutes of clock skew.
            var material = PDFValidationMaterial()
            material.certificates = [signer.certificate, pki.root]
            if crl {
                let der = Array(try Data(contentsOf: pki.directory.appendingPathComponent("ca.crl")))
                material.revocation = RevocationData(crls: [try CertificateRevocationList(der: der)])
            } else {
                let response = try OCSPResponse(der: try pki.ocspResponse(to: request.der, signedBy: responder))
                material.revocation = RevocationData(ocspResponses: [response])
            }
            let withDSS = try PDFLongTermValidation.addDSS(try PDFDocument(bytes: signed), material: material).bytes
            let result = Self.verify(withDSS, pki: pki, policy: .hard, checker: RevocationChecker(fetcher: nil))
            return (result.report, result.revocation)
        }
        let (stale, staleChecks) = try embeddedVerdict(try Self.signed(signer, pki: pki, signingTime: Date().addingTimeInterval(3600)))
        #expect(stale.indication == .indeterminate, "\(staleChecks)")
        #expect(staleChecks.first?.subIndication == .tryLater)
        #expect(staleChecks.first?.reason?.hasPrefix("REVOCATION_UNKNOWN") == true, "\(staleChecks)")
        #expect(staleChecks.first?.reason?.contains("before the signing time") == true, "\(staleChecks)")
        let (fresh, freshChecks) = try embeddedVerdict(try Self.signed(signer, pki: pki))
        #expect(fresh.indication == .passed, "\(freshChecks)")
        #expect(freshChecks.first?.status == .passed)
        // The same rule for an embedded CRL (its thisUpdate).
        let ahead = try Self.signed(signer, pki: pki, signingTime: Date().addingTimeInterval(3600))
        let (staleCRL, staleCRLChecks) = try embeddedVerdict(ahead, crl: true)
        #expect(staleCRL.indication == .indeterminate, "\(staleCRLChecks)")
        #expect(staleCRLChecks.first?.reason?.contains("embedded CRL issued at") == true, "\(staleCRLChecks)")
        let (freshCRL, freshCRLChecks) = try embeddedVerdict(try Self.signed(signer, pki: pki), crl: true)
        #expect(freshCRL.indication == .passed, "\(freshCRLChecks)")
    }
}
