import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show queue status (owner: queue)")
    func run() throws { throw NotYetAvailable(what: "sealpress status") }
}
