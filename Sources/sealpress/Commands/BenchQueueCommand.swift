import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct BenchQueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue", abstract: "Bench the job queue with no-op jobs (owner: queue)")
    func run() throws { throw NotYetAvailable(what: "sealpress queue") }
}
