import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import SealRevocation
import SealTestSupport
import Testing

@testable import SealPDF

/// PAdES B-LT and B-LTA: the DSS carries what validation needs, so with the CRL and OCSP servers stopped our
/// verifier (`hard`) and pyHanko (revocation required, nothing fetched: ``PyHankoLTV``) both judge the files
/// valid — B-LTA also at a validation time after the signer certificate expired; pdfsig accepts them.
///
/// The signer certificate lives one day; OCSP responses and the CRL stay current seven days, so a validation two
/// days later finds the document timestamp's TSA data still current (as a real responder's week-long responses
/// would be) while the signer certificate has expired.
@Suite(.serialized, .peer("openssl and python3") {
    TestEnvironment.executable("openssl") != nil && TestEnvironment.executable("python3") != nil
})
struct LongTermValidationTests {
    struct World {
        let pki: RevocationTestPKI
        let signer: RevocationTestPKI.Issued
        let tsa: LocalTimeStampAuthority
        /// Another TSA of the same CA, for renewals (its data is in no signature).
        let renewalTSA: LocalTimeStampAuthority
        /// A day after the signer certificate's expiry.
        var afterExpiry: Date { signer.certificate.notAfter.addingTimeInterval(86_400) }
    }

    static func world() throws -> World {
        let pki = try RevocationTestPKI(responseValidityDays: 7)
        let signer = try pki.issue("ltv-signer", days: 1)
        let tsaCertificate = try pki.issueTSA("ltv-tsa")
        let renewalCertificate = try pki.issueTSA("ltv-renewal-tsa")
        try pki.publish()
        try pki.start()
        let tsa = try LocalTimeStampAuthority(signer: try tsaCertificate.signer(chain: [pki.root]))
        let renewal = try LocalTimeStampAuthority(signer: try renewalCertificate.signer(chain: [pki.root]))
        return World(pki: pki, signer: signer, tsa: tsa, renewalTSA: renewal)
    }

    static func signed(_ world: World, format: PDFSignatureFormat = .padesBT) throws -> [UInt8] {
        var request = SignFixtures.request(try world.signer.signer(chain: [world.pki.root]), format: format)
        if format == .padesBT { request.timestamper = world.tsa }
        return try PDFStamper.stamp(try SignFixtures.corpus("sf-minimal-document.pdf"), request: request)
    }

    static func extend(
        _ bytes: [UInt8], _ world: World, level: PDFLTVLevel, timestamper: LocalTimeStampAuthority? = nil
    ) throws -> [UInt8] {
        try PDFLongTermValidation.extend(
            bytes, level: level, checker: RevocationChecker(fetcher: HTTPRevocationFetcher(timeout: .seconds(5))),
            timestamper: timestamper ?? world.tsa, anchors: [world.pki.root])
    }

    /// Our verifier with the servers down: every revocation check must be answered from the DSS.
    static func verifyOffline(_ bytes: [UInt8], _ world: World, policy: RevocationPolicy = .hard) -> VerificationReport {
        PDFVerifier.verify(
            bytes,
            options: PDFVerifyOptions(
                trust: TrustStore(roots: [world.pki.root]),
                revocation: RevocationOptions(
                    policy: policy, checker: RevocationChecker(fetcher: HTTPRevocationFetcher(timeout: .seconds(2))))))
    }

    static func expectPassedFromTheDSS(_ report: VerificationReport, signatures: Int) {
        #expect(report.signatures.count == signatures)
        #expect(report.indication == .passed, "\(report.signatures.map(\.checks))")
        let revocation = report.signatures.first?.checks.first { $0.name == "revocation" }
        #expect(revocation?.status == .passed)
        #expect(revocation?.reason?.contains("embedded in the document") == true, "\(String(describing: revocation))")
    }

    static func pdfsigAccepts(_ bytes: [UInt8]) throws {
        guard TestEnvironment.peerAvailable("pdfsig", PDFPeers.pdfsig != nil) else { return }
        let output = try PDFPeers.pdfsigOutput(try SignFixtures.write(bytes))
        #expect(output.contains("Signature is Valid"), "\(output)")
    }

    @Test func padesBLTIsTrustedByPyHankoFromItsDSSAlone() throws {
        let world = try Self.world()
        let bt = try Self.signed(world)
        let lt = try Self.extend(bt, world, level: .lt)
        let dss = DocumentSecurityStore(document: try PDFDocument(bytes: lt))
        #expect(dss.certificates.contains(world.signer.certificate))
        #expect(dss.certificates.contains(world.pki.root))
        #expect(dss.certificates.contains(world.tsa.signer.certificate!))
        #expect(dss.revocation.ocspResponses.count == 2, "signer and TSA: \(dss.revocation)")
        world.pki.stop()

        Self.expectPassedFromTheDSS(Self.verifyOffline(lt, world), signatures: 1)
        try Self.pdfsigAccepts(lt)
        guard TestEnvironment.peerAvailable("pyhanko (CLI and module)", PyHankoLTV.available) else { return }
        let (ltFile, btFile) = (try SignFixtures.write(lt, name: "lt.pdf"), try SignFixtures.write(bt, name: "bt.pdf"))
        let forced = try PyHankoLTV.validateFromDSS(ltFile, trust: world.pki.rootPEMFile)
        #expect(forced.isValid, "\(forced.output.suffix(1500))")
        let ades = try PyHankoLTV.adesVerify(ltFile, trust: world.pki.rootPEMFile, at: Date())
        #expect(ades.isValid, "\(ades.output.suffix(1500))")
        // The control: the same signature without its DSS cannot be trusted with the servers down.
        let bare = try PyHankoLTV.validateFromDSS(btFile, trust: world.pki.rootPEMFile)
        #expect(!bare.isValid && bare.output.contains("UNTRUSTED"), "\(bare.output.suffix(1500))")
    }

    @Test func padesBLTAIsTrustedByPyHankoAfterTheSignerCertificateExpired() throws {
        let world = try Self.world()
        let bt = try Self.signed(world)
        let lta = try Self.extend(bt, world, level: .lta)
        world.pki.stop()
        #expect(world.afterExpiry > world.signer.certificate.notAfter)

        let report = Self.verifyOffline(lta, world)
        Self.expectPassedFromTheDSS(report, signatures: 2)
        #expect(report.signatures.last?.format == "pdf.timestamp")
        try Self.pdfsigAccepts(lta)
        guard TestEnvironment.peerAvailable("pyhanko (CLI and module)", PyHankoLTV.available) else { return }
        let file = try SignFixtures.write(lta, name: "lta.pdf")
        let later = try PyHankoLTV.adesVerify(file, trust: world.pki.rootPEMFile, at: world.afterExpiry)
        #expect(later.isValid, "\(later.output.suffix(1500))")
        let forced = try PyHankoLTV.validateFromDSS(file, trust: world.pki.rootPEMFile)
        #expect(forced.isValid, "\(forced.output.suffix(1500))")
        // The control: without the DSS and the document timestamp the expired signer is not trusted then.
        let bare = try PyHankoLTV.adesVerify(
            try SignFixtures.write(bt, name: "bt.pdf"), trust: world.pki.rootPEMFile, at: world.afterExpiry)
        #expect(!bare.isValid, "\(bare.output.suffix(1500))")
    }

    /// `sealpress ltv extend` (the archival renewal) with a TSA that appears in no signature, twice: each
    /// extension only appends, the renewal TSA's chain and status follow its document timestamp into the DSS, and
    /// the result validates from the file alone after the signer certificate expired. A B-B file extended the same
    /// way is trusted by pyHanko's DSS validation; its `adesverify` (0.38) requires a signature timestamp for any
    /// AdES validation (SIG_CONSTRAINTS_FAILURE without one), so that file is not asked there.
    @Test func extendingWithARenewalTSAIsTrustedByPyHankoAfterExpiry() throws {
        let world = try Self.world()
        let bt = try Self.signed(world)
        let once = try Self.extend(bt, world, level: .lta, timestamper: world.renewalTSA)
        #expect(Array(once.prefix(bt.count)) == bt, "an extension only appends")
        let dss = DocumentSecurityStore(document: try PDFDocument(bytes: once))
        #expect(dss.certificates.contains(world.renewalTSA.signer.certificate!), "the document timestamp's TSA is in the DSS")
        #expect(dss.revocation.ocspResponses.count == 3, "signer, TSA, renewal TSA: \(dss.revocation)")
        let twice = try Self.extend(once, world, level: .lta, timestamper: world.renewalTSA)
        #expect(Array(twice.prefix(once.count)) == once, "an extension only appends")
        let bb = try Self.extend(try Self.signed(world, format: .padesBB), world, level: .lta)
        world.pki.stop()

        Self.expectPassedFromTheDSS(Self.verifyOffline(once, world), signatures: 2)
        Self.expectPassedFromTheDSS(Self.verifyOffline(twice, world), signatures: 3)
        Self.expectPassedFromTheDSS(Self.verifyOffline(bb, world), signatures: 2)
        try Self.pdfsigAccepts(twice)
        guard TestEnvironment.peerAvailable("pyhanko (CLI and module)", PyHankoLTV.available) else { return }
        for (name, bytes) in [("once.pdf", once), ("twice.pdf", twice)] {
            let result = try PyHankoLTV.adesVerify(
                try SignFixtures.write(bytes, name: name), trust: world.pki.rootPEMFile, at: world.afterExpiry)
            #expect(result.isValid, "\(name): \(result.output.suffix(1500))")
        }
        let fromDSS = try PyHankoLTV.validateFromDSS(try SignFixtures.write(bb, name: "bb-lta.pdf"), trust: world.pki.rootPEMFile)
        #expect(fromDSS.isValid, "\(fromDSS.output.suffix(1500))")
    }

    @Test func aSignerWithoutRevocationInformationCannotBeExtended() throws {
        let world = try Self.world()
        defer { world.pki.stop() }
        let bare = try world.pki.issue("bare", ocsp: false, crl: false)
        var request = SignFixtures.request(try bare.signer(chain: [world.pki.root]), format: .padesBT)
        request.timestamper = world.tsa
        let signed = try PDFStamper.stamp(try SignFixtures.corpus("sf-minimal-document.pdf"), request: request)
        #expect(throws: PDFStampError(.validationDataMissing, "")) {
            _ = try Self.extend(signed, world, level: .lt)
        }
    }
}
