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

            Placements are millimetres from the page's bottom-left corner for PDF and OFD alike. Existing files \
            are replaced only with --force. Exit status: 0 ok (verify: passed), 1 failed, 2 indeterminate, \
            3 could not run, 64 bad usage.

            Examples:
              sealpress keys demo-pki --out pki
              sealpress seal make --name "某某公司合同专用章" --type 1 --esid DEMO-0001 \\
                  --picture seal.png --width-mm 40 --height-mm 40 \\
                  --signer-cert pki/sm2-signer.cert.pem \\
                  --maker-key pki/seal-maker.key.pem --maker-cert pki/seal-maker.cert.pem \\
                  --valid-from 2026-01-01 --valid-to 2030-12-31 --out seal.esl
              sealpress stamp in.pdf out.pdf --seal seal.esl --key pki/sm2-signer.key.pem \\
                  --cert pki/sm2-signer.cert.pem --page last --x-mm 130 --y-mm 30
              sealpress verify out.pdf --trust pki/roots.pem
            """,
        version: "0.1.0",
        subcommands: SealPress.commands
    )

    /// Runs the command; errors that mean "could not run" exit with 3 and a one-line message.
    static func main() {
        LogBootstrap.configure(arguments: Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try EnqueueDocumentsRouting.command(CommandLine.arguments) ?? parseAsRoot()
            try command.run()
        } catch let error as CouldNotRun {
            // Sanitized too: some messages fold in a lower layer's error (type names, source locations).
            FileHandle.standardError.write(Data("sealpress: \(UserMessage.sanitized(error.description))\n".utf8))
            Foundation.exit(3)
        } catch let error as DatabaseURLError {
            FileHandle.standardError.write(Data("sealpress: \(error.description)\n".utf8))
            Foundation.exit(3)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            // Help, version and argument errors keep ArgumentParser's message and code (0 or 64);
            // any other error means the command could not run: one line, exit 3.
            let code = exitCode(for: error)
            if code == .success || code == .validationFailure {
                exit(withError: error)
            }
            // Runtime errors: the reason only (no usage text, type names, source paths or OpenSSL internals).
            FileHandle.standardError.write(Data("sealpress: \(UserMessage.reason(error))\n".utf8))
            Foundation.exit(3)
        }
    }
}
