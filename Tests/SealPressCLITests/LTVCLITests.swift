import Foundation
import SealTestSupport
import Testing

/// `sealpress stamp --format pades-b-lta` and `sealpress ltv extend` as a user runs them, against a local CA (OCSP
/// responder, CRL on loopback) and `sealpress tsa serve` with a certificate of that CA; then, with the CA's servers
/// stopped, `sealpress verify --offline --revocation hard` passes from the DSS alone and pyHanko trusts the files.
@Suite(
    .serialized, .enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"),
    .peer("openssl and python3") { TestEnvironment.executable("openssl") != nil && TestEnvironment.executable("python3") != nil })
struct LTVCLITests {
    @Test func stampedAndExtendedFilesVerifyOfflineFromTheirDSS() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("ltv")
        let pki = try RevocationTestPKI(responseValidityDays: 7)
        _ = try pki.issue("cli-signer", days: 1)
        _ = try pki.issueTSA("cli-tsa")
        try pki.publish()
        try pki.start()
        defer { pki.stop() }
        let file = { (name: String) in pki.directory.appendingPathComponent(name).path }

        let port = try RevocationTestPKI.freePort()
        let tsa = Process()
        tsa.executableURL = world.binary
        tsa.arguments = ["tsa", "serve", "--port", String(port), "--key", file("cli-tsa.key"), "--cert", file("cli-tsa.pem")]
        let output = Pipe()
        tsa.standardOutput = output
        tsa.standardError = FileHandle.nullDevice
        try tsa.run()
        defer { if tsa.isRunning { tsa.terminate(); tsa.waitUntilExit() } }
        // It prints "… listening on URL" once the socket is bound.
        var printed = ""
        while !printed.contains("listening on"), tsa.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        try #require(printed.contains("listening on"), "sealpress tsa serve did not start: \(printed)")
        let tsaURL = "http://127.0.0.1:\(port)/"
        let signing = ["--key", file("cli-signer.key"), "--cert", file("cli-signer.pem"), "--image", CLIWorld.fixture("seal.png").path, "--page", "1"]

        let lta = folder.appendingPathComponent("lta.pdf").path
        let stamped = try world.run(
            ["stamp", world.samplePDF, lta, "--format", "pades-b-lta", "--chain", file("ca.pem"), "--tsa", tsaURL] + signing)
        #expect(stamped.status == 0, "\(stamped.stderr)")
        let bb = folder.appendingPathComponent("bb.pdf").path
        #expect(try world.run(["stamp", world.samplePDF, bb, "--format", "pades-b-b"] + signing).status == 0)
        let extended = folder.appendingPathComponent("extended.pdf").path
        let once = try world.run(["ltv", "extend", bb, "-o", extended, "--tsa", tsaURL, "--chain", file("ca.pem")])
        #expect(once.status == 0, "\(once.stderr)")
        let size = (try FileManager.default.attributesOfItem(atPath: extended)[.size] as? Int) ?? 0
        // The renewal, in place: only appends.
        let twice = try world.run(["ltv", "extend", extended, "--tsa", tsaURL, "--chain", file("ca.pem")])
        #expect(twice.status == 0, "\(twice.stderr)")
        let renewed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: extended)))
        #expect(renewed.count > size)
        pki.stop()
        tsa.terminate()
        tsa.waitUntilExit()

        let trust = ["--trust", pki.rootPEMFile.path, "--offline", "--revocation", "hard"]
        for path in [lta, extended] {
            let verified = try world.run(["verify", path, "--json"] + trust)
            #expect(verified.status == 0, "\(path): \(verified.stdout.suffix(2000)) \(verified.stderr)")
            #expect(verified.stdout.contains("embedded in the document"), "\(verified.stdout.suffix(2000))")
        }
        // The control: the B-B file before extension has nothing embedded, so hard offline cannot pass it.
        #expect(try world.run(["verify", bb] + trust).status == 2)

        guard TestEnvironment.peerAvailable("pyhanko (CLI and module)", PyHankoLTV.available) else { return }
        // The signer certificate lives one day (`days: 1`): two days on it has expired.
        let later = Date().addingTimeInterval(2 * 86_400)
        let ades = try PyHankoLTV.adesVerify(URL(fileURLWithPath: lta), trust: pki.rootPEMFile, at: later)
        #expect(ades.isValid, "\(ades.output.suffix(1500))")
        let fromDSS = try PyHankoLTV.validateFromDSS(URL(fileURLWithPath: extended), trust: pki.rootPEMFile)
        #expect(fromDSS.isValid, "\(fromDSS.output.suffix(1500))")
    }
}
