import ElectronicSeal
import Foundation
import SealCrypto
import SealOFD
import SealPDF
import SealReport
import SealTestSupport
import Testing

@testable import SealPipeline

/// The same refusals through every entry point — the library engines, the pipeline's stamp engine and the
/// `sealpress stamp` command — with the same codes for PDF and OFD: the seal policy sits below all of them.
@Suite struct SealPolicyEntryPointTests {
    enum Refusal: String, CaseIterable, Sendable {
        case keyNotInSeal, expired, notYetValid, wrongVersion

        var code: ElectronicSealError.Code {
            switch self {
            case .keyNotInSeal: .signerNotInSeal
            case .expired: .sealExpired
            case .notYetValid: .sealNotYetValid
            case .wrongVersion: .sealVersionMismatch
            }
        }
    }

    enum Entry: String, CaseIterable, Sendable { case library, pipeline, cli }
    enum Format: String, CaseIterable, Sendable { case pdfSES = "pdf/ses", pdfPAdES = "pdf/pades-b-b", ofdSES = "ofd/ses" }

    static let pki: DemoPKI = { try! DemoPKI.make() }()

    /// The seal and signer for one refusal: the signer of the format's algorithm, a seal that refuses it.
    static func material(_ format: Format, _ refusal: Refusal) throws -> (seal: [UInt8], signer: SoftwareSigner, identity: DemoPKI.Identity) {
        let identity = format == .pdfPAdES ? pki.rsaSigner : pki.sm2Signer
        let now = Date()
        var listed = identity.certificate.der
        var from = now.addingTimeInterval(-3600)
        var to = now.addingTimeInterval(365 * 86_400)
        var version = SESVersion.v4
        switch refusal {
        case .keyNotInSeal: listed = pki.ecdsaSigner.certificate.der
        case .expired: (from, to) = (now.addingTimeInterval(-30 * 86_400), now.addingTimeInterval(-86_400))
        case .notYetValid: (from, to) = (now.addingTimeInterval(86_400), now.addingTimeInterval(30 * 86_400))
        case .wrongVersion: version = .v1
        }
        let picture = Array(try Data(contentsOf: try PipelineWorld.fixture("seal-400.png")))
        var builder = SealBuilder(
            name: "某某海关业务专用章", type: 1, esID: "SP-ENTRY-\(refusal.rawValue)",
            picture: SESPictureInfo(type: "PNG", data: picture, widthMM: 40, heightMM: 40),
            signerCertificates: [listed], validStart: from, validEnd: to)
        builder.version = version
        let seal = try builder.build(maker: pki.sealMaker.signer()).serializedBytes()
        return (seal, try identity.signer(), identity)
    }

    static func document(_ format: Format) throws -> [UInt8] {
        format == .ofdSES ? try SampleDocuments.ofd(pages: 1) : SampleDocuments.pdf(pages: 1, title: "declaration")
    }

    /// Runs one stamp and returns the refusal code it produced (nil when it signed).
    static func attempt(_ entry: Entry, _ format: Format, _ refusal: Refusal) throws -> String? {
        let (sealBytes, signer, identity) = try material(format, refusal)
        let input = try document(format)
        let now = Date()
        switch entry {
        case .library:
            do {
                switch format {
                case .pdfSES:
                    _ = try PDFStamper.stamp(input, request: PDFStampRequest(
                        signer: signer, format: .ses(seal: sealBytes), placement: PDFPlacement(page: .last, xMM: 20, yMM: 20),
                        signingTime: now))
                case .pdfPAdES:
                    _ = try PDFStamper.stamp(input, request: PDFStampRequest(
                        signer: signer, format: .padesBB, placement: PDFPlacement(page: .last, xMM: 20, yMM: 20),
                        seal: sealBytes, signingTime: now))
                case .ofdSES:
                    _ = try OFDStamper.stamp(input, request: OFDStampRequest(
                        seal: sealBytes, signer: signer, placements: [OFDStampPlacement(page: .last, xMM: 20, yMM: 20)],
                        signingTime: now))
                }
                return nil
            } catch let error as ElectronicSealError {
                return error.code.description
            }
        case .pipeline:
            let pipeline = Pipeline(
                name: "declarations", seal: "customs", placements: [Placement(pages: .last, xMM: 20, yMM: 20)],
                pdfFormat: format == .pdfPAdES ? .padesBB : .ses, ofdFormat: .sesV4)
            let seal = try SESeal(bytes: sealBytes)
            let material = SealMaterialCache.SealMaterial(
                esl: sealBytes, seal: seal, image: try? SealImage(imageBytes: Array(seal.picture.data)))
            let engine = StampEngine(pipeline: pipeline, signer: signer, seal: material, signingTime: now)
            do {
                _ = try engine.stamp(input, format: format == .ofdSES ? .ofd : .pdf)
                return nil
            } catch let error as ElectronicSealError {
                return error.code.description
            }
        case .cli:
            let binary = try #require(TestBinaries.sealpress, "the sealpress binary is built with the tests")
            let directory = try TestEnvironment.temporaryDirectory("policy-cli")
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = { (name: String) in directory.appendingPathComponent(name) }
            let ext = format == .ofdSES ? "ofd" : "pdf"
            try Data(input).write(to: file("in.\(ext)"))
            try Data(sealBytes).write(to: file("seal.esl"))
            try Data(identity.key.pemRepresentation.utf8).write(to: file("key.pem"))
            try Data(identity.certificate.pemRepresentation.utf8).write(to: file("cert.pem"))
            let result = try TestEnvironment.run(binary, [
                "stamp", file("in.\(ext)").path, file("out.\(ext)").path, "--seal", file("seal.esl").path,
                "--key", file("key.pem").path, "--cert", file("cert.pem").path,
                "--format", format == .pdfPAdES ? "pades-b-b" : "ses", "--x-mm", "20", "--y-mm", "20",
            ])
            if result.status == 0 { return nil }
            #expect(!FileManager.default.fileExists(atPath: file("out.\(ext)").path), "a refused stamp wrote no output")
            #expect(!result.stderr.contains(".swift"), "no source paths in errors: \(result.stderr)")
            let codes = Refusal.allCases.map(\.code.description)
            return codes.first { result.stderr.contains($0) } ?? "exit \(result.status): \(result.stderr)"
        }
    }

    @Test(arguments: Entry.allCases, Format.allCases)
    func everyEntryPointRefusesWithTheSameCode(_ entry: Entry, _ format: Format) throws {
        for refusal in Refusal.allCases {
            // A v1 seal's picture above a PAdES signature has no layout to mismatch: only SES formats check versions.
            if refusal == .wrongVersion, format == .pdfPAdES { continue }
            let got = try Self.attempt(entry, format, refusal)
            #expect(got == refusal.code.description, "\(entry) \(format.rawValue) \(refusal): \(got ?? "signed")")
        }
    }
}
