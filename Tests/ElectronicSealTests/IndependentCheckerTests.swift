import ElectronicSeal
import Foundation
import SealCrypto
import SealTestSupport
import Testing

/// Our seals and signatures, judged by `../shared/tools/ofdverify.py`, an independent implementation of the
/// standard (Python + the OpenSSL CLI): its seal-signature analysis and its verdict, without an OFD package.
@Suite(.peer("ofdverify.py + python3") {
    TestEnvironment.sharedTool("ofdverify.py") != nil && TestEnvironment.executable("python3") != nil
})
struct IndependentCheckerTests {
    private func runChecker(signature: SESSignature, content: [UInt8]) throws -> (output: String, reasons: String)? {
        let tool = TestEnvironment.sharedTool("ofdverify.py")
        let python = TestEnvironment.executable("python3")
        guard TestEnvironment.peerAvailable("ofdverify.py + python3", tool != nil && python != nil),
            let tool, let python
        else { return nil }
        let directory = try TestEnvironment.temporaryDirectory("seal-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(signature.derEncoded).write(to: directory.appendingPathComponent("SignedValue.dat"))
        try Data(content).write(to: directory.appendingPathComponent("Signature.xml"))
        try Data(signature.seal.derEncoded).write(to: directory.appendingPathComponent("Seal.esl"))
        let script = """
            import sys, os
            sys.path.insert(0, sys.argv[1]); import ofdverify
            d = sys.argv[2]; r = lambda n: open(os.path.join(d, n), 'rb').read()
            lines = []
            ofdverify.analyze_signedvalue(r('SignedValue.dat'), r('Signature.xml'), r('Seal.esl'), lines.append)
            print('\\n'.join(lines)); print('REASONS:', ofdverify.verdict(lines, 'Seal'))
            """
        let result = try TestEnvironment.run(
            python, ["-c", script, tool.deletingLastPathComponent().path, directory.path])
        #expect(result.status == 0, "checker failed: \(result.stderr)")
        let reasons = result.stdout.split(separator: "\n").last { $0.hasPrefix("REASONS:") }.map(String.init) ?? ""
        return (result.stdout, reasons)
    }

    @Test(arguments: [SESVersion.v4, .v1])
    func checkerAcceptsOurSignature(_ version: SESVersion) throws {
        let signature = try TestSeals.signature(seal: TestSeals.seal(version: version))
        guard let (output, reasons) = try runChecker(signature: signature, content: TestSeals.signatureXML) else { return }
        #expect(reasons == "REASONS: []", "\(output)")
        #expect(output.contains("dataHash == SM3(Signature.xml bytes): YES"))
        #expect(output.contains("signature over TBS_Sign raw DER: OK"))
        #expect(output.contains("Seal.esl bytes == eseal inside TBS_Sign: True"))
        #expect(output.contains(version == .v1 ? "SEQUENCE{sealInfo,cert,alg}: OK" : "sealInfo only: OK"))
    }

    @Test func checkerRejectsATamperedSignature() throws {
        let signature = try TestSeals.signature(seal: TestSeals.seal())
        var content = TestSeals.signatureXML
        content[content.count - 3] ^= 0x01
        guard let (output, reasons) = try runChecker(signature: signature, content: content) else { return }
        #expect(reasons.contains("dataHash"), "\(output)")
    }
}
