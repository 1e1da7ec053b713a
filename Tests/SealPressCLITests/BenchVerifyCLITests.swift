import Foundation
import SealTestSupport
import Testing

/// `sealpress bench verify` as a user runs it: functional only (the figures are numbers, something was verified);
/// never a timing assertion.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct BenchVerifyCLITests {
    private static let numericFields = [
        "inputBytes", "signatures", "threads", "verifications", "verificationsPerSecond", "verificationsPerCPUSecond",
        "p50Milliseconds", "parallelVerifications", "parallelVerificationsPerSecond", "digestMegabytesPerSecond",
        "limitVerificationsPerSecond", "fractionOfLimit",
    ]

    private static func bench(_ world: CLIWorld, _ arguments: [String]) throws -> [String: Any] {
        let result = try world.run(["bench", "verify", "--seconds", "0.2", "--json", "--no-pyhanko", "--threads", "2"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try result.stdout.jsonObject()
        for field in numericFields {
            // A JSON number in the text itself (not a string, not a boolean).
            let pattern = "\"\(field)\" ?: ?-?[0-9]"
            #expect(result.stdout.range(of: pattern, options: .regularExpression) != nil, "\(field) is not a number: \(result.stdout)")
        }
        #expect((object["verifications"] as? Int ?? 0) > 0)
        #expect((object["parallelVerifications"] as? Int ?? 0) > 0)
        #expect((object["limitVerificationsPerSecond"] as? Double ?? 0) > 0)
        #expect(object["pyhankoVerificationsPerSecond"] == nil, "--no-pyhanko still ran pyHanko")
        return object
    }

    @Test func unsignedPDFIsStampedWithRSAAndVerified() throws {
        let world = try CLIWorld.require()
        let object = try Self.bench(world, ["--file", world.samplePDF])
        #expect(object["format"] as? String == "pdf")
        #expect(object["stamped"] as? Bool == true)
        #expect(object["signatures"] as? Int == 1)
        let operations = try #require(object["cryptoOperations"] as? [[String: Any]])
        #expect(operations.map { $0["algorithm"] as? String } == ["RSA-SHA256"])
        #expect(operations.first?["count"] as? Int == 1)
        #expect(object["digest"] as? String == "SHA-256")
    }

    @Test func unsignedOFDIsSealedAndItsTwoSM2VerificationsMakeTheLimit() throws {
        let world = try CLIWorld.require()
        let object = try Self.bench(world, ["--file", world.sampleOFD])
        #expect(object["format"] as? String == "ofd")
        #expect(object["stamped"] as? Bool == true)
        #expect(object["signatures"] as? Int == 1)
        let operations = try #require(object["cryptoOperations"] as? [[String: Any]])
        #expect(operations.map { $0["algorithm"] as? String } == ["SM2-SM3"])
        #expect(operations.first?["count"] as? Int == 2, "an SES seal signature needs the signer's and the maker's SM2 verification")
        #expect(object["digest"] as? String == "SM3")
    }

    @Test func signedOFDIsVerifiedAsItIsWithTheGivenRoots() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("bench-verify")
        let signed = folder.appendingPathComponent("signed.ofd").path
        let stamped = try world.run(["stamp", world.sampleOFD, signed] + world.signerArguments)
        #expect(stamped.status == 0, "\(stamped.stderr)")
        let object = try Self.bench(world, ["--file", signed, "--trust", world.roots])
        #expect(object["stamped"] as? Bool == false)
        #expect(object["signatures"] as? Int == 1)
        #expect(object["indication"] as? String == "passed", "\(String(describing: object["indication"]))")
    }

    @Test func aFileThatIsNeitherPDFNorOFDIsAnError() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("bench-verify-text")
        let text = folder.appendingPathComponent("note.txt")
        try Data("not a document".utf8).write(to: text)
        let result = try world.run(["bench", "verify", "--file", text.path, "--seconds", "0.2", "--no-pyhanko"])
        #expect(result.status != 0)
        Leaks.check(result.stderr)
    }
}
