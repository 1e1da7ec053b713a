import Foundation
import SealTestSupport
import Testing

/// `sealpress bench stamp` on an OFD as a user runs it: the shares of the limits come from interleaved rounds and
/// the bytes a stamp hashes are the package's, as Python's zipfile counts them. Functional only: no timing assertion.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct BenchStampOFDCLITests {
    @Test func ofdStampSharesOfTheLimitsComeFromInterleavedRounds() throws {
        let world = try CLIWorld.require()
        let result = try world.run(["bench", "stamp", "--file", world.sampleOFD, "--seconds", "0.5", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try result.stdout.jsonObject()
        let rounds = try #require(object["ratioRounds"] as? [Double], "\(result.stdout)")
        #expect(rounds.count == 5 && object["rounds"] as? Int == 5)
        #expect(rounds.allSatisfy { $0 > 0 })
        let median = try #require(object["ratioToSM2Limit"] as? Double)
        #expect(median == rounds.sorted()[2], "the share is the median round: \(rounds) → \(median)")
        // A stamp needs more than its one signature: under the SM2 limit, and closer to the SM2 + SM3 one.
        let combined = try #require(object["ratioToSM2AndSM3Limit"] as? Double)
        #expect(combined + 0.001 >= median, "\(result.stdout)")
        #expect((object["sm2AndSM3LimitPerSecond"] as? Double ?? 0) <= (object["sm2SignaturesPerSecond"] as? Double ?? 0))
        #expect((object["verificationsPerSecond"] as? Double ?? 0) > 0)
        // Inflating the package is a third cost the libraries set: a lower limit, a higher share of it, and a
        // ceiling of the SM2 share below 1 that the measured share stays under.
        let libraries = try #require(object["ratioToLibrariesLimit"] as? Double)
        #expect(libraries + 0.001 >= combined, "\(result.stdout)")
        #expect((object["librariesLimitPerSecond"] as? Double ?? .infinity) <= (object["sm2AndSM3LimitPerSecond"] as? Double ?? 0))
        #expect((object["packagesInflatedPerSecond"] as? Double ?? 0) > 0)
        let ceiling = try #require(object["sm2ShareCeiling"] as? Double)
        #expect(ceiling > 0 && ceiling < 1, "\(result.stdout)")

        // Every file of the package, uncompressed — what the new signature's References hash.
        guard TestEnvironment.peerAvailable("python3", TestEnvironment.executable("python3") != nil) else { return }
        let python = try #require(TestEnvironment.executable("python3"))
        let counted = try TestEnvironment.run(python, [
            "-c", "import sys, zipfile; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist() if not i.is_dir()))",
            world.sampleOFD,
        ])
        #expect(counted.status == 0, "\(counted.stderr)")
        #expect(object["hashedBytesPerStamp"] as? Int == Int(counted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
