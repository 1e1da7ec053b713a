import ArgumentParser

extension SealPress {
    /// Every top-level subcommand, in the order `--help` lists them. Each lives in its own file.
    static let commands: [any ParsableCommand.Type] = [
        StampCommand.self,
        VerifyCommand.self,
        LTVCommand.self,
        LocateCommand.self,
        SealCommand.self,
        KeysCommand.self,
        EnqueueCommand.self,
        WorkerCommand.self,
        StatusCommand.self,
        CancelCommand.self,
        MigrateCommand.self,
        DBCommand.self,
        TSACommand.self,
        ServeCommand.self,
        PipelineCommand.self,
        AuditCommand.self,
        ExportCommand.self,
        AccountCommand.self,
        ConsoleCommand.self,
        BenchCommand.self,
        VersionCommand.self,
        SelfTestCommand.self,
    ]
}

/// Prints the version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print version information.")
    func run() throws {
        print("sealpress 0.1.0")
    }
}
