import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys", abstract: "Create keys and a demo PKI (owner: crypto)")
    func run() throws { throw NotYetAvailable(what: "sealpress keys") }
}
