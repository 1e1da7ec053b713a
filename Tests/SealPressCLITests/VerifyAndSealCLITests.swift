import Foundation
import SealTestSupport
import Testing

@testable import SealOFD

/// `sealpress verify`, `seal make|inspect` and `keys` as a user runs them.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct VerifyAndSealCLITests {
    /// A signed document whose signature value cannot be read at all (PDF: /Contents is not CMS; OFD:
    /// SignedValue.dat is not an SES_Signature): no certificate is ever checked.
    private static func unreadableSignatures(_ world: CLIWorld, in folder: URL) throws -> [String] {
        let pdf = folder.appendingPathComponent("signed.pdf").path
        let ofd = folder.appendingPathComponent("signed.ofd").path
        #expect(try world.run(["stamp", world.samplePDF, pdf, "--format", "pkcs7"] + world.signerArguments).status == 0)
        #expect(try world.run(["stamp", world.sampleOFD, ofd] + world.signerArguments).status == 0)

        var pdfBytes = Array(try Data(contentsOf: URL(fileURLWithPath: pdf)))
        let needle = Array("/Contents <".utf8)
        let found = try #require(
            (0...(pdfBytes.count - needle.count)).reversed().first { Array(pdfBytes[$0..<($0 + needle.count)]) == needle })
        // "<3082…": make the outer tag 0x31 (a SET), so /Contents is no CMS ContentInfo at all.
        let index = found + needle.count + 1
        #expect(pdfBytes[index] == UInt8(ascii: "0"))
        pdfBytes[index] = UInt8(ascii: "1")
        let badPDF = folder.appendingPathComponent("bad.pdf").path
        try Data(pdfBytes).write(to: URL(fileURLWithPath: badPDF))

        // OFD: SignedValue.dat replaced by bytes that are no SES_Signature; every other entry copied verbatim.
        let archive = try OFDPackage(Array(try Data(contentsOf: URL(fileURLWithPath: ofd)))).archive
        var writer = ZipWriter()
        for entry in archive.entries where !entry.isDirectory {
            if entry.path.hasSuffix("SignedValue.dat") {
                var value = try archive.contents(of: entry)
                value[5] ^= 0xFF
                try writer.add(path: entry.path, contents: value, time: 0, date: 0x21)
            } else {
                try writer.copy(entry, from: archive)
            }
        }
        let badOFD = folder.appendingPathComponent("bad.ofd").path
        try Data(try writer.finish()).write(to: URL(fileURLWithPath: badOFD))
        return [badPDF, badOFD]
    }

    @Test func trustIsNeverPassedWhenNoAnchorWasUsed() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("trust")
        for file in try Self.unreadableSignatures(world, in: folder) {
            for trust in [[], ["--trust", world.roots]] {
                let text = try world.run(["verify", file] + trust)
                #expect(text.status == 1, "\(file): \(text.stdout)")
                #expect(!text.stdout.contains("trust: PASSED"), "\(file) \(trust): \(text.stdout)")
                let json = try world.run(["verify", file, "--json"] + trust).stdout.jsonObject()
                let verdict = try #require(json["trust"] as? [String: Any])
                #expect(verdict["indication"] as? String == "indeterminate", "\(file): \(verdict)")
                #expect(verdict["subIndication"] as? String == "NO_CERTIFICATE_CHAIN_FOUND")
            }
        }
        // An intact document without --trust: trust indeterminate, exit 2; with it: passed, exit 0.
        let good = folder.appendingPathComponent("signed.ofd").path
        let untrusted = try world.run(["verify", good])
        #expect(untrusted.status == 2)
        #expect(untrusted.stdout.contains("trust: INDETERMINATE"))
        #expect(try world.run(["verify", good, "--trust", world.roots]).status == 0)
    }

    @Test func sealInspectExitsLikeVerify() throws {
        let world = try CLIWorld.require()
        let seal = world.path("seal.esl")
        #expect(try world.run(["seal", "inspect", seal, "--trust", world.roots]).status == 0)
        // No trust anchor: the maker cannot be traced to a root (indeterminate).
        #expect(try world.run(["seal", "inspect", seal]).status == 2)
        // After the seal's validity: failed.
        let expired = try world.run(["seal", "inspect", seal, "--trust", world.roots, "--at", "2100-06-01", "--json"])
        #expect(expired.status == 1, "\(expired.stdout)")
        let verdict = try #require(try expired.stdout.jsonObject()["verdict"] as? [String: Any])
        #expect(verdict["indication"] as? String == "failed")
    }

    @Test func sealMakeRefusesAnExpiredSealAndExistingFiles() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("make")
        func make(_ to: String, _ out: String, _ extra: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
            try world.run([
                "seal", "make", "--name", "过期章", "--type", "1", "--esid", "OLD-1", "--picture", CLIWorld.fixture("seal.png").path,
                "--width-mm", "40", "--height-mm", "40", "--signer-cert", world.path("pki/sm2-signer.cert.pem"),
                "--maker-key", world.path("pki/seal-maker.key.pem"), "--maker-cert", world.path("pki/seal-maker.cert.pem"),
                "--valid-from", "2019-01-01", "--valid-to", to, "--out", out,
            ] + extra)
        }
        let old = folder.appendingPathComponent("old.esl").path
        let refused = try make("2021-12-31", old)
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("expired"), "\(refused.stderr)")
        Leaks.check(refused.stderr)
        #expect(!FileManager.default.fileExists(atPath: old))

        let current = folder.appendingPathComponent("current.esl").path
        #expect(try make("2099-12-31", current).status == 0)
        let again = try make("2099-12-31", current)
        #expect(again.status == 3)
        #expect(again.stderr.contains("--force"))
        #expect(try make("2099-12-31", current, ["--force"]).status == 0)

        let picture = folder.appendingPathComponent("picture.png").path
        #expect(try world.run(["seal", "inspect", current, "--extract-picture", picture, "--trust", world.roots]).status == 0)
        let overwrite = try world.run(["seal", "inspect", current, "--extract-picture", picture, "--trust", world.roots])
        #expect(overwrite.status == 3)
        #expect(overwrite.stderr.contains("--force"))
    }

    @Test func keysNeverOverwriteWithoutForce() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("keys")
        let key = folder.appendingPathComponent("k.pem").path
        #expect(try world.run(["keys", "generate", "--out", key]).status == 0)
        let original = try String(contentsOfFile: key, encoding: .utf8)
        let again = try world.run(["keys", "generate", "--out", key])
        #expect(again.status == 3)
        #expect(again.stderr.contains("--force"), "\(again.stderr)")
        Leaks.check(again.stderr)
        #expect(try String(contentsOfFile: key, encoding: .utf8) == original)
        #expect(try world.run(["keys", "generate", "--out", key, "--force"]).status == 0)
        #expect(try String(contentsOfFile: key, encoding: .utf8) != original)

        // demo-pki refuses a folder holding any file it would write (not only README.txt).
        let pki = folder.appendingPathComponent("pki")
        try FileManager.default.createDirectory(at: pki, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: pki.appendingPathComponent("sm2-signer.key.pem"))
        let demo = try world.run(["keys", "demo-pki", "--out", pki.path])
        #expect(demo.status == 3)
        #expect(demo.stderr.contains("--force"))
        #expect(try String(contentsOfFile: pki.appendingPathComponent("sm2-signer.key.pem").path, encoding: .utf8) == "mine")
    }
}
