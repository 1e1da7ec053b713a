import ArgumentParser

extension SealPress {
    /// Every top-level subcommand, in the order `--help` lists them. Each lives in its own file.
    static let commands: [any ParsableCommand.Type] = [
        VersionCommand.self,
    ]
}

/// Prints the version and the cryptographic library in use.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print version information.")
    func run() throws {
        print("sealpress 0.1.0")
    }
}
