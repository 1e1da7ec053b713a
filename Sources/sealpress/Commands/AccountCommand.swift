import ArgumentParser
import Foundation
import Postgres
import SealConsole
import SealCrypto

/// `sealpress account`: operator console accounts (viewer, operator, seal administrator).
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Manage operator console accounts (roles: viewer, operator, seal_administrator).",
        subcommands: [Add.self, List.self, Disable.self])

    /// `sealpress account add NAME --role R`: the password comes from stdin or a file, never from the command line.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Create a console account (password from standard input or --password-file).",
            discussion: """
                The password is read from the first line of standard input, or of --password-file; it is never \
                an argument (arguments are visible to every user of the host). It is stored as a PBKDF2-HMAC-SHA256 \
                hash with a random salt. --replace changes the role and password of an existing account and ends its \
                sessions.

                Examples:
                  printf '%s\\n' "$PASSWORD" | sealpress account add alice --role operator
                  sealpress account add bob --role seal_administrator \\
                      --password-file /run/secrets/bob
                """)

        @Argument(help: "Account name (letters, digits, '.', '_', '@', '-').")
        var name: String

        @Option(help: "viewer, operator or seal_administrator.")
        var role: String

        @Option(help: "Read the password from this file's first line instead of standard input.")
        var passwordFile: String?

        @Flag(help: "Replace the role and password of an existing account.")
        var replace = false

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard ConsoleRole(rawValue: role) != nil else {
                throw ValidationError("--role must be viewer, operator or seal_administrator")
            }
        }

        func run() throws {
            let password = try readPassword()
            let connection = try database.connect()
            defer { connection.close() }
            do {
                try ConsoleAccounts().add(
                    name: name, role: ConsoleRole(rawValue: role) ?? .viewer, password: password, replace: replace,
                    on: connection)
            } catch let error as ConsoleError {
                throw CouldNotRun(error.reason)
            } catch let error as PGError {
                guard error.sqlState == "42P01" else { throw error }
                throw CouldNotRun("the database has no console accounts table; run `sealpress migrate`")
            }
            print("account \(name) (\(role)) \(replace ? "updated" : "created")")
        }

        func readPassword() throws -> String {
            let text: String
            if let passwordFile {
                guard let data = FileManager.default.contents(atPath: passwordFile) else {
                    throw CouldNotRun("cannot read the password file \(passwordFile)")
                }
                text = String(decoding: data, as: UTF8.self)
            } else {
                text = readLine(strippingNewline: true) ?? ""
            }
            let line = String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            guard !line.isEmpty else {
                throw CouldNotRun("no password given: write it to standard input or use --password-file")
            }
            return line
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List console accounts.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let connection = try database.connectExisting()
            defer { connection.close() }
            for account in try ConsoleAccounts().list(on: connection) {
                print("\(account.name)\t\(account.role.rawValue)\(account.disabled ? "\tdisabled" : "")")
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Disable a console account and end its sessions.")
        @Argument var name: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let connection = try database.connect()
            defer { connection.close() }
            do {
                try ConsoleAccounts().disable(name: name, on: connection)
            } catch let error as ConsoleError {
                throw CouldNotRun(error.reason)
            }
            print("account \(name) disabled")
        }
    }
}
