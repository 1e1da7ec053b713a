import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seal", abstract: "Make and inspect electronic seals (owner: seal)")
    func run() throws { throw NotYetAvailable(what: "sealpress seal") }
}
