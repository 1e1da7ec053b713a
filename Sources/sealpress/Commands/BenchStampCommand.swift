import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct BenchStampCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stamp", abstract: "Bench stamping a PDF or OFD document (owner: pdf/ofd)")
    func run() throws { throw NotYetAvailable(what: "sealpress stamp") }
}
