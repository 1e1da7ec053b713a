import Foundation
import SealTestSupport
import Testing

/// `sealpress verify --revocation soft|hard|off` and `--offline` against a local CA (openssl) with an OCSP
/// responder and a CRL on loopback.
@Suite(
    .enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"),
    .peer("openssl and python3") { TestEnvironment.executable("openssl") != nil && TestEnvironment.executable("python3") != nil })
struct RevocationCLITests {
    @Test func verifyReportsRevocationPerPolicy() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("revocation")
        let pki = try RevocationTestPKI()
        let good = try pki.issue("good")
        let revoked = try pki.issue("revoked")
        let bare = try pki.issue("bare", ocsp: false, crl: false)
        pki.revoke(revoked, at: Date().addingTimeInterval(-60))
        try pki.publish()
        var files: [String: String] = [:]
        for name in ["good", "revoked", "bare"] {
            let out = folder.appendingPathComponent("\(name).pdf").path
            let stamped = try world.run([
                "stamp", world.samplePDF, out, "--format", "pades-b-b", "--page", "1",
                "--key", pki.directory.appendingPathComponent("\(name).key").path,
                "--cert", pki.directory.appendingPathComponent("\(name).pem").path,
                "--image", CLIWorld.fixture("seal.png").path,
            ])
            #expect(stamped.status == 0, "\(stamped.stderr)")
            files[name] = out
        }
        _ = (good, bare)
        let trust = ["--trust", pki.rootPEMFile.path]

        // Servers down: soft and hard are both INDETERMINATE (exit 2), the reason says REVOCATION_UNKNOWN.
        let down = try world.run(["verify", files["good"]!, "--json"] + trust)
        #expect(down.status == 2, "\(down.stdout)")
        #expect(down.stdout.contains("TRY_LATER") && down.stdout.contains("REVOCATION_UNKNOWN"), "\(down.stdout)")

        try pki.start()
        defer { pki.stop() }
        let passed = try world.run(["verify", files["good"]!] + trust)
        #expect(passed.status == 0, "\(passed.stdout) \(passed.stderr)")
        let failed = try world.run(["verify", files["revoked"]!, "--json"] + trust)
        #expect(failed.status == 1, "\(failed.stdout)")
        #expect(failed.stdout.contains("\"REVOKED\""), "\(failed.stdout)")
        let off = try world.run(["verify", files["revoked"]!, "--revocation", "off"] + trust)
        #expect(off.status == 0, "\(off.stdout)")
        // --offline fetches nothing: soft does not check (passes), hard cannot prove a status (indeterminate).
        #expect(try world.run(["verify", files["revoked"]!, "--offline"] + trust).status == 0)
        #expect(try world.run(["verify", files["revoked"]!, "--offline", "--revocation", "hard"] + trust).status == 2)
        // A certificate that names no CRL or OCSP location: soft passes, hard is indeterminate.
        #expect(try world.run(["verify", files["bare"]!] + trust).status == 0)
        #expect(try world.run(["verify", files["bare"]!, "--revocation", "hard"] + trust).status == 2)
        let usage = try world.run(["verify", files["good"]!, "--revocation", "sometimes"])
        #expect(usage.status == 64)
    }
}
