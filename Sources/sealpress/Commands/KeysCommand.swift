import ArgumentParser
import Foundation
import Postgres
import SealCrypto
import SealPipeline

/// `sealpress keys …`: key generation and a demo PKI for trying SealPress out.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create keys and a demo PKI (SM2/RSA roots, seal maker, signers, TSA); run the remote signing service.",
        subcommands: [DemoPKICommand.self, GenerateCommand.self, ServeCommand.self]
    )
}

extension KeysCommand {
    /// `sealpress keys demo-pki --out DIR [--password PW]`.
    struct DemoPKICommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo-pki",
            abstract: "Write a demo PKI: SM2 and RSA roots, seal maker (制章者), SM2/RSA/ECDSA signers, RSA and SM2 TSAs.",
            discussion: """
                Writes <name>.cert.pem, <name>.key.pem (PKCS#8, AES-256 encrypted when --password is given) and \
                <name>.p12 (password: --password or "sealpress-demo"), roots.pem, README.txt. FOR TESTING ONLY. \
                Refuses to write into a directory that already holds any of these files unless --force is given.

                Example:
                  sealpress keys demo-pki --out demo-pki --password secret
                """
        )

        @Option(name: .long, help: "Directory to write (created if missing).")
        var out: String

        @Option(name: .long, help: "Encrypt private keys with this password (default: unencrypted).")
        var password: String?

        @Flag(name: .long, help: "Overwrite existing files.")
        var force = false

        func run() throws {
            let directory = URL(fileURLWithPath: out)
            let pki: DemoPKI
            do {
                pki = try DemoPKI.make()
            } catch {
                throw CouldNotRun("cannot create the demo PKI: \(UserMessage.reason(error))")
            }
            if !force {
                let names = ["README.txt", "roots.pem"]
                    + pki.namedIdentities.flatMap { ["\($0.name).cert.pem", "\($0.name).key.pem", "\($0.name).p12"] }
                let existing = names.filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }
                if !existing.isEmpty {
                    throw CouldNotRun(
                        "\(out) already holds \(existing.prefix(3).joined(separator: ", "))\(existing.count > 3 ? " and \(existing.count - 3) more" : ""); "
                            + "pass --force to replace them")
                }
            }
            let files: [String]
            do {
                files = try pki.write(to: directory, keyPassword: password)
            } catch {
                throw CouldNotRun("cannot write the demo PKI to \(out): \(UserMessage.reason(error))")
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
            commandName: "generate", abstract: "Generate a private key (PKCS#8 PEM) and print its public key.",
            discussion: """
                Never replaces an existing file unless --force is given, and never (even with --force) the key \
                file of a seal registered in the database (checked when --database-url, DATABASE_URL or PG* \
                variables name one; the embedded cluster is not started for this).

                Example:
                  sealpress keys generate --algorithm sm2 --out signer.key.pem \\
                      --password secret > signer.pub.pem
                """)

        enum Algorithm: String, ExpressibleByArgument, CaseIterable {
            case sm2, rsa2048, rsa3072, ecdsaP256 = "ecdsa-p256", ecdsaP384 = "ecdsa-p384"
        }

        @Option(name: .long, help: "sm2, rsa2048, rsa3072, ecdsa-p256 or ecdsa-p384.")
        var algorithm: Algorithm = .sm2

        @Option(name: .long, help: "Where to write the private key.")
        var out: String

        @Option(name: .long, help: "Encrypt the key with this password.")
        var password: String?

        @Flag(name: .long, help: "Replace --out if it exists (never a registered seal's key).")
        var force = false

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let generation: KeyGenerationAlgorithm
            switch algorithm {
            case .sm2: generation = .sm2
            case .rsa2048: generation = .rsa(bits: 2048)
            case .rsa3072: generation = .rsa(bits: 3072)
            case .ecdsaP256: generation = .ecdsaP256
            case .ecdsaP384: generation = .ecdsaP384
            }
            try OutputFile.checkWritable(out, force: force, what: "key file")
            if let seal = try registeredSeal(using: out) {
                throw CouldNotRun(
                    "\(out) is the signing key of registered seal '\(seal)'; replacing it would break that seal. "
                        + "Write the new key elsewhere (and register a new seal for it)")
            }
            do {
                let key = try PrivateKey.generate(generation)
                let url = URL(fileURLWithPath: out)
                try Data(try key.pem(password: password).utf8).write(to: url, options: .atomic)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
                FileHandle.standardError.write(Data("wrote \(key.algorithm) private key to \(out)\n".utf8))
                print(key.publicKey.pemRepresentation, terminator: "")
            } catch {
                throw CouldNotRun("cannot generate the key: \(UserMessage.reason(error))")
            }
        }

        /// The registry name of a seal whose key reference names `path`, when a database is configured and
        /// reachable (nil otherwise: an unreachable database does not stop key generation).
        private func registeredSeal(using path: String) throws -> String? {
            switch try? database.location() {
            case .url?, .environment?: break
            case .embedded?, nil: return nil
            }
            guard let connection = try? database.connect() else { return nil }
            defer { connection.close() }
            guard let seals = try? SealRegistry().list(on: connection) else { return nil }
            let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
            for seal in seals {
                let reference = seal.keyReference
                for candidate in [reference.path, reference.certificatePath].compactMap({ $0 }) {
                    if URL(fileURLWithPath: candidate).standardizedFileURL.resolvingSymlinksInPath().path == target {
                        return seal.name
                    }
                }
            }
            return nil
        }
    }
}
