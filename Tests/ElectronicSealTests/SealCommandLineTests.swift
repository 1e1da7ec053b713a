import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing

/// `sealpress seal make` and `seal inspect`, run as a user runs them (the binary built beside the tests).
@Suite(.enabled(if: TestBinaries.sealpress != nil, "the sealpress binary was not built beside the tests"))
struct SealCommandLineTests {
    /// The `sealpress` executable next to the test bundle (built by `swift build --build-tests`).
    static var binary: URL? {
        let candidate = SealFixtures.root.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sealpress")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
    }

    /// A scratch folder for one test (removed with the value) and the binary under test.
    final class Folder {
        let binary: URL
        let directory: URL

        init() throws {
            binary = try #require(SealCommandLineTests.binary)
            directory = try TestEnvironment.temporaryDirectory("seal-cli")
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    }

    /// The seal maker's key and certificate (maker.key, maker.pem) and the seal picture (seal.png) in a test folder.
    static func writeMakerAndPicture(_ path: (String) -> String) throws {
        let maker = TestSeals.pki.sealMaker
        try maker.key.pemRepresentation.write(toFile: path("maker.key"), atomically: true, encoding: .utf8)
        try maker.certificate.pemRepresentation.write(toFile: path("maker.pem"), atomically: true, encoding: .utf8)
        try Data(TestSeals.picture).write(to: URL(fileURLWithPath: path("seal.png")))
    }

    @Test func makeThenInspectAVersion4Seal() throws {
        let folder = try Folder()
        let (binary, path) = (folder.binary, folder.path)
        let pki = TestSeals.pki
        try Self.writeMakerAndPicture(path)
        try Data(pki.sm2Signer.certificate.der).write(to: URL(fileURLWithPath: path("signer.der")))
        try (pki.sm2Root.certificate.pemRepresentation).write(toFile: path("roots.pem"), atomically: true, encoding: .utf8)

        let make = try TestEnvironment.run(binary, [
            "seal", "make", "--name", "某某公司合同专用章", "--type", "1", "--esid", "CLI-0001",
            "--picture", path("seal.png"), "--width-mm", "42", "--height-mm", "42",
            "--signer-cert", path("signer.der"), "--maker-key", path("maker.key"), "--maker-cert", path("maker.pem"),
            "--valid-from", "2020-01-01", "--valid-to", "2099-12-31T15:59:59Z", "--out", path("seal.esl"),
        ])
        #expect(make.status == 0, "\(make.stderr)")
        let seal = try SESeal(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path("seal.esl")))))
        #expect(seal.version == .v4 && seal.name == "某某公司合同专用章" && seal.picture.widthMM == 42)
        #expect(seal.picture.type == "PNG")
        // 2020-01-01 as a day in China Standard Time starts at 2019-12-31T16:00:00Z.
        #expect(seal.sealInfo.property.validStart.text == "20191231160000Z")

        let inspect = try TestEnvironment.run(binary, [
            "seal", "inspect", path("seal.esl"), "--json", "--trust", path("roots.pem"),
            "--extract-picture", path("out.png"),
        ])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any]
        let verdict = json?["verdict"] as? [String: Any]
        #expect(verdict?["indication"] as? String == "passed", "\(inspect.stdout)")
        #expect((json?["seal"] as? [String: Any])?["esID"] as? String == "CLI-0001")
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path("out.png")))) == TestSeals.picture)

        // A tampered seal: inspect exits 1 and names the maker signature.
        var bytes = Array(seal.derEncoded)
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path("bad.esl")))
        let bad = try TestEnvironment.run(binary, ["seal", "inspect", path("bad.esl")])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("FAIL sealMakerSignature"))

        // Not a seal at all: could not run.
        let notSeal = try TestEnvironment.run(binary, ["seal", "inspect", path("maker.pem")])
        #expect(notSeal.status == 3)
        #expect(notSeal.stderr.contains("PEM") && !notSeal.stderr.contains("ASN1"), "\(notSeal.stderr)")
        // The picture given instead of the seal: said in words, not in ASN.1 tags.
        let picture = try TestEnvironment.run(binary, ["seal", "inspect", path("seal.png")])
        #expect(picture.status == 3 && picture.stderr.contains("PNG image"), "\(picture.stderr)")
        #expect(!picture.stderr.contains("ASN1Identifier"), "\(picture.stderr)")
    }

    @Test func makeAVersion1SealFromPKCS12() throws {
        let folder = try Folder()
        let (binary, path) = (folder.binary, folder.path)
        let pki = TestSeals.pki
        let p12 = try PKCS12Bundle.export(
            key: pki.sealMaker.key, certificate: pki.sealMaker.certificate, password: "777777")
        try Data(p12).write(to: URL(fileURLWithPath: path("maker.p12")))
        try pki.sm2Signer.certificate.pemRepresentation.write(toFile: path("signer.pem"), atomically: true, encoding: .utf8)
        try Data(TestSeals.picture).write(to: URL(fileURLWithPath: path("seal.png")))
        let make = try TestEnvironment.run(binary, [
            "seal", "make", "--name", "v1 章", "--type", "2", "--esid", "CLI-V1", "--picture", path("seal.png"),
            "--width-mm", "30", "--height-mm", "30", "--signer-cert", path("signer.pem"),
            "--maker-p12", path("maker.p12"), "--maker-p12-password", "777777",
            "--valid-from", "2026-01-01", "--valid-to", "2030-12-31", "--version", "1", "--out", path("v1.esl"),
        ])
        #expect(make.status == 0, "\(make.stderr)")
        let seal = try SESeal(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path("v1.esl")))))
        #expect(seal.version == .v1 && seal.sealInfo.property.validEnd.encoding == .utcTime)
        let checks = SealVerifier.verify(seal: seal, at: ISO8601DateFormatter().date(from: "2027-01-01T00:00:00Z")!)
        #expect(checks.named(SealCheckName.sealMakerSignature)?.status == .passed)

        let wrongPassword = try TestEnvironment.run(binary, [
            "seal", "make", "--name", "x", "--type", "2", "--esid", "X", "--picture", path("seal.png"),
            "--width-mm", "30", "--height-mm", "30", "--signer-cert", path("signer.pem"),
            "--maker-p12", path("maker.p12"), "--maker-p12-password", "nope",
            "--valid-from", "2026-01-01", "--valid-to", "2030-12-31", "--out", path("x.esl"),
        ])
        #expect(wrongPassword.status == 3)
    }

    /// What a typo must not turn into a signed seal: a date Calendar would roll over (month 13, month 0,
    /// 30 February) is a usage error and nothing is written; a non-SM2 maker key is warned about.
    @Test func impossibleDatesMakeNoSealAndANonSM2MakerIsWarnedAbout() throws {
        let folder = try Folder()
        let (binary, path) = (folder.binary, folder.path)
        let pki = TestSeals.pki
        try Self.writeMakerAndPicture(path)
        try pki.rsaSigner.key.pemRepresentation.write(toFile: path("rsa.key"), atomically: true, encoding: .utf8)
        try pki.rsaSigner.certificate.pemRepresentation.write(toFile: path("rsa.pem"), atomically: true, encoding: .utf8)
        try pki.sm2Signer.certificate.pemRepresentation.write(toFile: path("signer.pem"), atomically: true, encoding: .utf8)
        func make(from: String, to: String, key: String = "maker.key", cert: String = "maker.pem") throws
            -> (status: Int32, stdout: String, stderr: String)
        {
            try TestEnvironment.run(binary, [
                "seal", "make", "--name", "测试章", "--type", "1", "--esid", "CLI-DATE", "--picture", path("seal.png"),
                "--width-mm", "40", "--height-mm", "40", "--signer-cert", path("signer.pem"),
                "--maker-key", path(key), "--maker-cert", path(cert), "--valid-from", from, "--valid-to", to,
                "--out", path("seal.esl"),
            ])
        }
        for (from, to) in [("2026-01-01", "2030-13-31"), ("2026-00-10", "2030-12-31"), ("2026-02-30", "2030-12-31"),
                           ("2026-01-01", "2030-12-32")] {
            let result = try make(from: from, to: to)
            #expect(result.status == 64, "\(from) – \(to): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: path("seal.esl")))
        }
        // The same command with valid dates and the SM2 maker makes the seal, without a warning.
        let sm2 = try make(from: "2026-01-01", to: "2030-12-31")
        #expect(sm2.status == 0 && !sm2.stderr.contains("warning"), "\(sm2.stderr)")
        // An RSA maker (kept for PDF interoperability) makes it too, with a warning that GB/T 38540 checkers
        // accept only SM2-made seals.
        try FileManager.default.removeItem(atPath: path("seal.esl"))
        let rsa = try make(from: "2026-01-01", to: "2030-12-31", key: "rsa.key", cert: "rsa.pem")
        #expect(rsa.status == 0 && rsa.stderr.contains("warning") && rsa.stderr.contains("SM2"), "\(rsa.stderr)")
    }
}
