import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Run a worker process (owner: queue)")
    func run() throws { throw NotYetAvailable(what: "sealpress worker") }
}
