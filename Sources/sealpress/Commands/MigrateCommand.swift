import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or upgrade the database schema (owner: queue)")
    func run() throws { throw NotYetAvailable(what: "sealpress migrate") }
}
