import ArgumentParser
import Foundation
import SealCrypto

/// `sealpress keys …`: key generation and a demo PKI for trying SealPress out.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create keys and a demo PKI (SM2/RSA roots, seal maker, signers, TSA).",
        subcommands: [DemoPKICommand.self, GenerateCommand.self]
    )
}

extension KeysCommand {
    /// `sealpress keys demo-pki --out DIR [--password PW]`.
    struct DemoPKICommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo-pki",
            abstract: "Write a demo PKI: SM2 and RSA roots, seal maker (制章者), SM2/RSA/ECDSA signers, RSA and SM2 TSAs.",
            discussion: "Writes <name>.cert.pem, <name>.key.pem (PKCS#8, AES-256 encrypted when --password is given) and <name>.p12 (password: --password or \"sealpress-demo\"), roots.pem, README.txt. FOR TESTING ONLY."
        )

        @Option(name: .long, help: "Directory to write (created if missing).")
        var out: String

        @Option(name: .long, help: "Encrypt private keys with this password (default: unencrypted).")
        var password: String?

        @Flag(name: .long, help: "Overwrite existing files.")
        var force = false

        func run() throws {
            let directory = URL(fileURLWithPath: out)
            if !force, FileManager.default.fileExists(atPath: directory.appendingPathComponent("README.txt").path) {
                throw CouldNotRun("\(out) already holds a demo PKI; pass --force to replace it")
            }
            let pki: DemoPKI
            let files: [String]
            do {
                pki = try DemoPKI.make()
                files = try pki.write(to: directory, keyPassword: password)
            } catch {
                throw CouldNotRun("cannot create the demo PKI: \(error)")
            }
            print("demo PKI written to \(directory.path) (\(files.count) files):")
            for (name, identity) in pki.namedIdentities {
                print("  \(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(identity.key.algorithm)  \(identity.certificate.subject)")
            }
            print("see \(directory.appendingPathComponent("README.txt").path)")
        }
    }

    /// `sealpress keys generate --algorithm sm2|rsa2048|rsa3072|ecdsa-p256 --out key.pem`.
    struct GenerateCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate", abstract: "Generate a private key (PKCS#8 PEM) and print its public key.")

        enum Algorithm: String, ExpressibleByArgument, CaseIterable {
            case sm2, rsa2048, rsa3072, ecdsaP256 = "ecdsa-p256", ecdsaP384 = "ecdsa-p384"
        }

        @Option(name: .long, help: "sm2, rsa2048, rsa3072, ecdsa-p256 or ecdsa-p384.")
        var algorithm: Algorithm = .sm2

        @Option(name: .long, help: "Where to write the private key.")
        var out: String

        @Option(name: .long, help: "Encrypt the key with this password.")
        var password: String?

        func run() throws {
            let generation: KeyGenerationAlgorithm
            switch algorithm {
            case .sm2: generation = .sm2
            case .rsa2048: generation = .rsa(bits: 2048)
            case .rsa3072: generation = .rsa(bits: 3072)
            case .ecdsaP256: generation = .ecdsaP256
            case .ecdsaP384: generation = .ecdsaP384
            }
            do {
                let key = try PrivateKey.generate(generation)
                let url = URL(fileURLWithPath: out)
                try Data(try key.pem(password: password).utf8).write(to: url, options: .atomic)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
                FileHandle.standardError.write(Data("wrote \(key.algorithm) private key to \(out)\n".utf8))
                print(key.publicKey.pemRepresentation, terminator: "")
            } catch {
                throw CouldNotRun("cannot generate the key: \(error)")
            }
        }
    }
}
