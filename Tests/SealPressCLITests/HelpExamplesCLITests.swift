import Foundation
import SealTestSupport
import Testing

/// `--help` as a script or `| less` shows it (a pipe: 80 columns): every example is still a command one can copy.
/// A wrapped example line starts at the left margin or splits an option from its value, and pasted it runs the
/// wrong command.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct HelpExamplesCLITests {
    static let commands: [[String]] = [
        [], ["stamp"], ["verify"], ["locate"], ["enqueue"], ["enqueue", "stamp"], ["seal", "make"], ["seal", "inspect"],
        ["seal", "register"], ["seal", "grant"], ["keys", "generate"], ["keys", "serve"], ["ltv", "extend"], ["serve"],
        ["account", "add"], ["audit", "verify"], ["audit", "checkpoint"], ["bench", "stamp"], ["bench", "pipeline"],
        ["pipeline", "check"],
    ]

    @Test(arguments: commands) func examplesSurviveEightyColumns(_ command: [String]) throws {
        let binary = try #require(TestBinaries.sealpress)
        let help = try TestEnvironment.run(binary, command + ["--help"], environment: ["COLUMNS": "80"])
        #expect(help.status == 0, "\(command): \(help.stderr)")
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var inExamples = false
        var continued = false
        for line in lines {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("Example") {
                inExamples = true
                continued = false
                continue
            }
            guard inExamples else { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                inExamples = false
                continue
            }
            #expect(line.count <= 80, "\(command): too wide for 80 columns: \(line)")
            let indent = line.prefix { $0 == " " }.count
            if continued {
                #expect(indent > 2, "\(command): a continuation lost its indent: \(line)")
            } else {
                // A command starts in column 3 (`  sealpress …`, or `  printf … | sealpress …`).
                #expect(indent == 2 && line.contains("sealpress"), "\(command): an example line that is not a command: \(line)")
            }
            continued = line.hasSuffix("\\")
        }
    }
}
