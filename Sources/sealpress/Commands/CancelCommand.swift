import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a job (owner: queue)")
    func run() throws { throw NotYetAvailable(what: "sealpress cancel") }
}
