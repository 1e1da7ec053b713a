import ArgumentParser

// Placeholder: replaced by the module owner named in the abstract.
struct BenchCryptoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crypto", abstract: "Bench SM2/RSA/ECDSA signing and SM3/SHA-256 hashing beside openssl speed (owner: crypto)")
    func run() throws { throw NotYetAvailable(what: "sealpress crypto") }
}
