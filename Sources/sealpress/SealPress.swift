import ArgumentParser
import Foundation

/// `sealpress`: applies and checks Chinese electronic seals on PDF and OFD documents, alone or as a queue worker.
@main
struct SealPress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sealpress",
        abstract: "Apply and verify electronic seals (电子印章) on PDF and OFD documents at scale.",
        discussion: """
            Documents are stamped and verified either directly (stamp, verify) or through a PostgreSQL job queue \
            that many worker processes share (enqueue, worker, status). Without DATABASE_URL or --database-url, \
            commands use a private PostgreSQL cluster under $SEALPRESS_HOME (default ./.sealpress).
            """,
        version: "0.1.0",
        subcommands: SealPress.commands
    )

    /// Runs the command; errors that mean "could not run" exit with 3 and a one-line message.
    static func main() {
        do {
            var command = try EnqueueDocumentsRouting.command(CommandLine.arguments) ?? parseAsRoot()
            try command.run()
        } catch let error as CouldNotRun {
            FileHandle.standardError.write(Data("sealpress: \(error.description)\n".utf8))
            Foundation.exit(3)
        } catch let error as NotYetAvailable {
            FileHandle.standardError.write(Data("sealpress: \(error.description)\n".utf8))
            Foundation.exit(3)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == 1 || code.rawValue == 2, error is ExitCode {
                Foundation.exit(code.rawValue)
            }
            // Argument errors (64) keep ArgumentParser's message; anything else unexpected is "could not run".
            if error is ExitCode || code.rawValue == 64 || code == .validationFailure {
                exit(withError: error)
            }
            FileHandle.standardError.write(Data("sealpress: \(fullMessage(for: error))\n".utf8))
            Foundation.exit(3)
        }
    }
}
