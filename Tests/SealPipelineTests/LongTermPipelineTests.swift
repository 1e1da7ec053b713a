import Foundation
import SealCrypto
import SealNetClient
import SealPDF
import SealPipeline
import SealReport
import SealTestSupport
import Testing

/// Pipelines with `pdf: pades-b-lt` and `pades-b-lta` through the queue and a worker process, the signer from a
/// local CA with an OCSP responder and a CRL on loopback and a TSA of the same CA: the worker's own
/// `verify_after_signing` (revocation: hard) passes, and with the CA's servers stopped pyHanko trusts the outputs
/// from their DSS alone (B-LTA also after the signer certificate expired), as our verifier does offline.
@Suite(.serialized, .peer("openssl and python3") {
    TestEnvironment.executable("openssl") != nil && TestEnvironment.executable("python3") != nil
})
struct LongTermPipelineTests {
    @Test func padesBLTAndBLTAPipelinesWriteFilesThatValidateFromTheirDSS() throws {
        let world = try PipelineWorld()
        let pki = try RevocationTestPKI(responseValidityDays: 7)
        let signer = try pki.issue("archive-signer", days: 1)
        _ = try pki.issueTSA("archive-tsa")
        try pki.publish()
        try pki.start()
        defer { pki.stop() }
        let file = { (name: String) in pki.directory.appendingPathComponent(name).path }
        // The signer's certificate file carries the CA too: the chain the DSS needs.
        try Data((try String(contentsOfFile: file("archive-signer.pem"), encoding: .utf8)
            + (try String(contentsOfFile: file("ca.pem"), encoding: .utf8))).utf8)
            .write(to: URL(fileURLWithPath: file("archive-signer-chain.pem")))
        // The worker's trust anchors gain the CA (its verify_after_signing judges our signature fully).
        let roots = try String(contentsOf: world.roots, encoding: .utf8)
        try Data((roots + (try String(contentsOfFile: file("ca.pem"), encoding: .utf8))).utf8).write(to: world.roots)

        let tsaPort = try RevocationTestPKI.freePort()
        let tsa = try ChildProcess(world.binary, [
            "tsa", "serve", "--port", String(tsaPort), "--key", file("archive-tsa.key"), "--cert", file("archive-tsa.pem"),
        ])
        defer { tsa.kill(SIGKILL) }
        let tsaURL = "http://127.0.0.1:\(tsaPort)/"
        let client = TimeStampClient(url: URL(string: tsaURL)!, timeoutSeconds: 2)
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? client.timeStampToken(digest: Digest.hash(.sha256, [1]), algorithm: .sha256)) != nil
            if !ready { usleep(100_000) }
        }
        try #require(ready, "the CA's TSA did not start: \(tsa.log)")

        let esl = world.directory.appendingPathComponent("archive.esl").path
        try world.run([
            "seal", "make", "--name", "测试章-archive", "--type", "1", "--esid", "E2E-ARCHIVE",
            "--picture", try PipelineWorld.fixture("seal-400.png").path, "--width-mm", "40", "--height-mm", "40",
            "--signer-cert", file("archive-signer.pem"),
            "--maker-key", world.directory.appendingPathComponent("pki/seal-maker.key.pem").path,
            "--maker-cert", world.directory.appendingPathComponent("pki/seal-maker.cert.pem").path,
            "--valid-from", "2025-01-01", "--valid-to", "2035-12-31", "--out", esl, "--force",
        ], database: false)
        try world.run([
            "seal", "register", "--name", "archive", "--esl", esl,
            "--key-ref", "file:\(file("archive-signer.key"))?cert=\(file("archive-signer-chain.pem"))", "--owner", "测试局",
            "--force",
        ])
        try world.run(["seal", "grant", "archive", "--principal", "licence-office", "--from", "2019-01-01", "--to", "2035-12-31", "--force"])
        for level in ["lt", "lta"] {
            try Data("""
                name: archive-\(level)
                seal: archive
                placements:
                  - page: last
                    x_mm: 20
                    y_mm: 20
                formats:
                  pdf: pades-b-\(level)
                tsa: \(tsaURL)
                revocation: hard
                verify_after_signing: true

                """.utf8).write(to: world.pipelines.appendingPathComponent("archive-\(level).yaml"))
        }

        let input = SampleDocuments.pdf(pages: 2, title: "Archive")
        let results = try InboundDocumentTests.run(
            world, [("archive-lt", "lt.pdf", input), ("archive-lta", "lta.pdf", input)])
        pki.stop()
        tsa.kill(SIGKILL)
        let later = signer.certificate.notAfter.addingTimeInterval(86_400)
        for (index, result) in results.enumerated() {
            let level = index == 0 ? "B-LT" : "B-LTA"
            #expect(result.state == "completed", "\(level): \(result.code ?? "") \(result.error)")
            guard let output = result.output else { continue }
            // The worker's verify_after_signing (revocation: hard) passed and says where the status came from.
            #expect(result.report?.verdict.indication == .passed, "\(level): \(result.report?.verdict.reasons ?? [])")
            let dss = DocumentSecurityStore(document: try PDFDocument(bytes: output))
            #expect(dss.certificates.contains(signer.certificate), "\(level)")
            #expect(dss.revocation.ocspResponses.count >= 2, "\(level): signer and TSA")
            // Our verifier, offline: only the DSS can answer.
            let report = PDFVerifier.verify(
                output,
                options: PDFVerifyOptions(
                    trust: TrustStore(roots: [pki.root]),
                    revocation: RevocationOptions(policy: .hard, checker: RevocationChecker(fetcher: nil))))
            #expect(report.indication == .passed, "\(level): \(report.signatures.map(\.checks))")
            #expect(report.signatures.count == (index == 0 ? 1 : 2), "\(level)")

            guard TestEnvironment.peerAvailable("pyhanko (CLI and module)", PyHankoLTV.available) else { continue }
            let path = world.directory.appendingPathComponent("archive-\(index).pdf")
            try Data(output).write(to: path)
            let forced = try PyHankoLTV.validateFromDSS(path, trust: pki.rootPEMFile)
            #expect(forced.isValid, "\(level): \(forced.output.suffix(1500))")
            let ades = try PyHankoLTV.adesVerify(path, trust: pki.rootPEMFile, at: index == 0 ? Date() : later)
            #expect(ades.isValid, "\(level): \(ades.output.suffix(1500))")
        }
    }
}
