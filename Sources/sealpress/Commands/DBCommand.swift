import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "db", abstract: "Manage the embedded PostgreSQL cluster (owner: pg)")
    func run() throws { throw NotYetAvailable(what: "sealpress db") }
}
