import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct TSACommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tsa", abstract: "Run a local RFC 3161 time-stamping authority (owner: crypto)")
    func run() throws { throw NotYetAvailable(what: "sealpress tsa") }
}
