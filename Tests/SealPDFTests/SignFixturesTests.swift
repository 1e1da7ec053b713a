import Foundation
import SealCrypto
import SealTestSupport
import Testing

@testable import SealPDF

/// Shared material for the signing tests: one demo PKI per test process, fixture files, peer-tool runners.
enum SignFixtures {
    /// Keys and certificates made once (RSA key generation is slow).
    static let pki: DemoPKI = {
        do { return try DemoPKI.make() } catch { fatalError("demo PKI: \(error)") }
    }()

    static var fixtures: URL { Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("sign") }

    /// The PDF corpus the reader tests also use (one copy, Fixtures/corpus), plus the benchmark document.
    static var corpusFolder: URL { fixtures.deletingLastPathComponent().appendingPathComponent("corpus") }

    static func corpus(_ name: String) throws -> [UInt8] {
        let url = name == "bench-doc100k.pdf"
            ? fixtures.appendingPathComponent(name) : corpusFolder.appendingPathComponent(name)
        return Array(try Data(contentsOf: url))
    }

    static func image(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent("images").appendingPathComponent(name)))
    }

    static let sealPicture: SealImage = {
        do { return try SealImage(imageBytes: try image("seal-400.png")) } catch { fatalError("seal picture: \(error)") }
    }()

    static func rsaSigner() throws -> SoftwareSigner { try pki.rsaSigner.signer() }
    static func ecdsaSigner() throws -> SoftwareSigner { try pki.ecdsaSigner.signer() }
    static func sm2Signer() throws -> SoftwareSigner { try pki.sm2Signer.signer() }

    /// A visible PAdES request at 10/10 mm, 30 mm wide (fits the corpus's smallest page, 106×51 mm).
    static func request(
        _ signer: any Signer, format: PDFSignatureFormat = .padesBB, page: PDFPlacement.Page = .last,
        visible: Bool = true, certify: PDFCertification? = nil, password: String? = nil
    ) -> PDFStampRequest {
        PDFStampRequest(
            signer: signer, format: format,
            placement: visible ? PDFPlacement(page: page, xMM: 10, yMM: 10, widthMM: 30) : nil,
            image: visible ? sealPicture : nil, reason: "审批通过", location: "Beijing", certify: certify,
            signingTime: Date(), password: password)
    }

    /// Writes bytes to a fresh temporary file.
    static func write(_ bytes: [UInt8], name: String = "out.pdf") throws -> URL {
        let directory = try TestEnvironment.temporaryDirectory("sealpress-pdfsign")
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// The RSA root as a PEM file for pyHanko's --trust.
    static func rootPEM() throws -> URL {
        let url = try write(Array(pki.rsaRoot.certificate.pemRepresentation.utf8), name: "root.pem")
        return url
    }
}

/// Runs the independent checkers the reference names (pdf-signing.md §3.2).
enum PDFPeers {
    static var pyhanko: URL? { TestEnvironment.executable("pyhanko") }
    static var pdfsig: URL? { TestEnvironment.executable("pdfsig") }
    static var qpdf: URL? { TestEnvironment.executable("qpdf") }

    /// `pyhanko sign validate --trust ROOT --trust-replace --no-revocation-check FILE`: one line per signature.
    static func pyhankoValidate(_ file: URL, trust: URL, password: String? = nil, extra: [String] = [])
        throws -> (status: Int32, lines: [String], stderr: String)
    {
        var arguments = ["sign", "validate", "--trust", trust.path, "--trust-replace", "--no-revocation-check"]
        if let password { arguments += ["--password", password] }
        arguments += extra + [file.path]
        let result = try TestEnvironment.run(pyhanko!, arguments)
        let lines = result.stdout.split(separator: "\n").map(String.init).filter { $0.contains(":") }
        return (result.status, lines, result.stderr)
    }

    static func pdfsigOutput(_ file: URL, password: String? = nil) throws -> String {
        var arguments = ["-nocert"]
        if let password { arguments += ["-upw", password] }
        return try TestEnvironment.run(pdfsig!, arguments + [file.path]).stdout
    }

    static func qpdfCheck(_ file: URL, password: String? = nil) throws -> Int32 {
        var arguments = ["--check"]
        if let password { arguments += ["--password=\(password)"] }
        return try TestEnvironment.run(qpdf!, arguments + [file.path]).status
    }
}
