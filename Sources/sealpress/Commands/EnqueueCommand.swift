import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct EnqueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enqueue", abstract: "Enqueue jobs (owner: queue)")
    func run() throws { throw NotYetAvailable(what: "sealpress enqueue") }
}
