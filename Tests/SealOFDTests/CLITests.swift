import Foundation
import SealCrypto
import SealTestSupport
import Testing
@testable import SealOFD

/// `sealpress stamp` / `sealpress verify` on OFD files, through the built binary (skipped when it is not built).
@Suite(.enabled(if: TestBinaries.sealpress != nil, "the sealpress binary is not built (swift build --build-tests)"))
struct CLITests {
    let seals = TestSeals.shared

    @Test func stampThenVerifyFromTheCommandLine() throws {
        let binary = try #require(TestBinaries.sealpress)
        let folder = try TestEnvironment.temporaryDirectory("ofd-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        try seals.pki.write(to: folder)
        let input = folder.appendingPathComponent("in.ofd")
        let output = folder.appendingPathComponent("out.ofd")
        try Data(try Fixture.generatedOFD(pages: 2)).write(to: input)
        try Data(seals.v4Seal).write(to: folder.appendingPathComponent("seal.esl"))
        let names = seals.pki.namedIdentities.map(\.name)
        let signerName = try #require(names.first { $0.contains("sm2-signer") } ?? names.first { $0.contains("signer") })

        let missingSeal = try TestEnvironment.run(binary, [
            "stamp", input.path, output.path, "--key", folder.appendingPathComponent("\(signerName).key.pem").path,
            "--cert", folder.appendingPathComponent("\(signerName).cert.pem").path,
        ])
        #expect(missingSeal.status == 3)
        #expect(missingSeal.stderr.contains("--seal"))

        let stamp = try TestEnvironment.run(binary, [
            "stamp", input.path, output.path, "--seal", folder.appendingPathComponent("seal.esl").path,
            "--key", folder.appendingPathComponent("\(signerName).key.pem").path,
            "--cert", folder.appendingPathComponent("\(signerName).cert.pem").path,
            "--page", "2", "--x-mm", "120", "--y-mm", "200", "--lock",
        ])
        #expect(stamp.status == 0, "\(stamp.stderr)")
        let verify = try TestEnvironment.run(binary, [
            "verify", output.path, "--trust", folder.appendingPathComponent("roots.pem").path, "--json",
        ])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        #expect(verify.stdout.contains("\"format\" : \"ofd.seal\""))
        let again = try TestEnvironment.run(binary, [
            "stamp", output.path, folder.appendingPathComponent("again.ofd").path,
            "--seal", folder.appendingPathComponent("seal.esl").path,
            "--key", folder.appendingPathComponent("\(signerName).key.pem").path,
            "--cert", folder.appendingPathComponent("\(signerName).cert.pem").path,
        ])
        #expect(again.status == 3)
        #expect(again.stderr.contains("locked"))
    }
}
