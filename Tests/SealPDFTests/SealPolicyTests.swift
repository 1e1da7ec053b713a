import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing

@testable import SealPDF

/// Every PDF format applies the one seal policy: a seal's picture or SES structure never goes on a document signed
/// by a key the seal does not list, by an expired or not-yet-valid seal, or in a layout that does not fit the
/// seal's version — the same ``ElectronicSealError`` codes the OFD engine gives.
@Suite struct SealPolicyTests {
    enum Refusal: String, CaseIterable, Sendable {
        case keyNotInSeal, expired, notYetValid, wrongVersion
    }

    /// A seal listing `listed`, valid over `from...to`, in layout `version`.
    static func seal(
        listing listed: Certificate, from: TimeInterval = -3600, to: TimeInterval = 365 * 86_400, version: SESVersion = .v4
    ) throws -> [UInt8] {
        let now = Date()
        var builder = SealBuilder(
            name: "某某市市场监督管理局", type: 1, esID: "SP-POLICY-0001",
            picture: SESPictureInfo(type: "PNG", data: try SignFixtures.image("seal-400.png"), widthMM: 40, heightMM: 40),
            signerCertificates: [listed.der], validStart: now.addingTimeInterval(from), validEnd: now.addingTimeInterval(to))
        builder.version = version
        return try builder.build(maker: SignFixtures.pki.sealMaker.signer()).serializedBytes()
    }

    nonisolated(unsafe) static let formats: [(name: String, format: (_ seal: [UInt8]) -> PDFSignatureFormat, signer: () throws -> SoftwareSigner)] = [
        ("pades-b-b", { _ in .padesBB }, SignFixtures.rsaSigner),
        ("pkcs7", { _ in .pkcs7 }, SignFixtures.ecdsaSigner),
        ("sm2", { _ in .sm2() }, SignFixtures.sm2Signer),
        ("ses", { .ses(seal: $0) }, SignFixtures.sm2Signer),
    ]

    /// The request and the code the policy must refuse it with.
    static func refusedRequest(format index: Int, _ refusal: Refusal) throws -> (PDFStampRequest, ElectronicSealError.Code) {
        let entry = formats[index]
        let signer = try entry.signer()
        let certificate = try #require(signer.certificate)
        let sealBytes: [UInt8]
        let code: ElectronicSealError.Code
        switch refusal {
        case .keyNotInSeal:
            sealBytes = try seal(listing: SignFixtures.pki.sealMaker.certificate)
            code = .signerNotInSeal
        case .expired:
            sealBytes = try seal(listing: certificate, from: -30 * 86_400, to: -86_400)
            code = .sealExpired
        case .notYetValid:
            sealBytes = try seal(listing: certificate, from: 86_400, to: 30 * 86_400)
            code = .sealNotYetValid
        case .wrongVersion:
            sealBytes = try seal(listing: certificate, version: .v1)
            code = .sealVersionMismatch
        }
        var request = SignFixtures.request(signer, format: entry.format(sealBytes))
        request.image = nil  // the seal's own picture
        request.seal = sealBytes
        return (request, code)
    }

    @Test(arguments: 0..<4, Refusal.allCases)
    func everyFormatRefusesWhatThePolicyForbids(_ format: Int, _ refusal: Refusal) throws {
        // A v1 seal's picture above a non-SES signature is not a version question: only SES has a layout to fit.
        if refusal == .wrongVersion, Self.formats[format].name != "ses" { return }
        let (request, code) = try Self.refusedRequest(format: format, refusal)
        let input = try SignFixtures.corpus("sf-minimal-document.pdf")
        #expect(throws: ElectronicSealError(code, ""), "\(Self.formats[format].name) \(refusal)") {
            _ = try PDFStamper.stamp(input, request: request)
        }
    }

    /// A riding seal shows the seal's picture on every page: the policy applies to it as to any seal picture, and a
    /// riding seal with the seal's own picture (no `image`) draws that picture.
    @Test func ridingSealsFollowThePolicy() throws {
        let input = try SignFixtures.corpus("pdfjs-tracemonkey.pdf")
        var (refused, code) = try Self.refusedRequest(format: 0, .keyNotInSeal)
        refused.placement = nil
        refused.riding = PDFRidingSeal(edge: .right, pages: .range(1...2))
        #expect(throws: ElectronicSealError(code, "")) { _ = try PDFStamper.stamp(input, request: refused) }

        let signer = try SignFixtures.rsaSigner()
        var request = SignFixtures.request(signer)
        request.placement = nil
        request.image = nil
        request.seal = try Self.seal(listing: try #require(signer.certificate))
        request.riding = PDFRidingSeal(edge: .right, pages: .range(1...2))
        let signed = try PDFStamper.stamp(input, request: request)
        #expect(signed.count > input.count + 2 * 1000, "the seal's picture was not embedded")
        let report = PDFVerifier.verify(signed, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
        #expect(report.indication == .passed, "\(report.signatures.map(\.checks))")
    }

    @Test func theSamePicturePassesWithAListedKey() throws {
        for (index, entry) in Self.formats.enumerated() {
            let signer = try entry.signer()
            let sealBytes = try Self.seal(listing: try #require(signer.certificate))
            var request = SignFixtures.request(signer, format: entry.format(sealBytes))
            request.image = nil
            request.seal = sealBytes
            let signed = try PDFStamper.stamp(try SignFixtures.corpus("sf-minimal-document.pdf"), request: request)
            let report = PDFVerifier.verify(signed, options: PDFVerifyOptions(trust: SignFixtures.pki.trustStore))
            #expect(report.indication == .passed, "\(index) \(entry.name): \(report.signatures.map(\.checks))")
        }
    }

    /// The refusal names the times as a person reads them, not as ASN.1.
    @Test func refusalsSayWhenInLocalTime() throws {
        let (request, _) = try Self.refusedRequest(format: 3, .expired)
        do {
            _ = try PDFStamper.stamp(try SignFixtures.corpus("sf-minimal-document.pdf"), request: request)
            Issue.record("an expired seal was used")
        } catch let error as ElectronicSealError {
            #expect(error.reason.contains("+08:00"), "\(error.reason)")
            #expect(error.reason.range(of: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00"#, options: .regularExpression) != nil)
            #expect(!error.reason.contains("Z;") && !error.reason.contains("GeneralizedTime"))
        }
    }

    /// A key paired with a certificate that is not its own is refused before anything is signed.
    @Test func aKeyWithAnotherCertificateIsRefused() throws {
        let sm2 = SignFixtures.pki.sm2Signer
        let other = SignFixtures.pki.sm2TSA
        let mismatched = ExternalSignerWithKey(inner: try other.signer(), claimed: sm2.certificate)
        let sealBytes = try Self.seal(listing: sm2.certificate)
        var request = SignFixtures.request(mismatched, format: .ses(seal: sealBytes))
        request.image = nil
        #expect(throws: ElectronicSealError(.keyDoesNotMatchCertificate, "")) {
            _ = try PDFStamper.stamp(try SignFixtures.corpus("sf-minimal-document.pdf"), request: request)
        }
    }
}

/// A signer that claims a certificate that is not its key's (what a misconfigured HSM slot looks like).
private struct ExternalSignerWithKey: Signer {
    let inner: SoftwareSigner
    let claimed: Certificate
    var algorithm: SignatureAlgorithm { inner.algorithm }
    var certificate: Certificate? { claimed }
    var certificateChain: [Certificate] { [] }
    var publicKey: PublicKey? { inner.key.publicKey }
    func sign(_ message: [UInt8]) throws -> [UInt8] { try inner.sign(message) }
}
