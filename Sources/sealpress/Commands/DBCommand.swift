import ArgumentParser
import Foundation
import Postgres

/// `sealpress db start|stop|status|url`: manages the embedded PostgreSQL cluster under the SealPress home.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the embedded PostgreSQL cluster.",
        discussion: """
            Without DATABASE_URL or --database-url, SealPress keeps a private PostgreSQL cluster under \
            $SEALPRESS_HOME (default ./.sealpress), listening on 127.0.0.1 only. Commands start it on demand; \
            it keeps running until `sealpress db stop`.
            """,
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self])

    /// `--home`, shared by the subcommands.
    struct HomeOptions: ParsableArguments {
        @Option(help: ArgumentHelp("SealPress home holding the cluster (default: $SEALPRESS_HOME or ./.sealpress).", valueName: "dir"))
        var home: String?

        var url: URL {
            home.map { URL(fileURLWithPath: $0, isDirectory: true).standardizedFileURL }
                ?? DatabaseLocation.defaultHome()
        }

        var cluster: EmbeddedPostgres { EmbeddedPostgres(home: url) }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the embedded cluster (initialising it first) and print its URL.")
        @OptionGroup var options: HomeOptions

        func run() throws {
            do {
                print(try options.cluster.start())
            } catch {
                throw CouldNotRun(error.description)
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded cluster (fast shutdown).")
        @OptionGroup var options: HomeOptions

        func run() throws {
            do {
                try options.cluster.stop()
                print("stopped")
            } catch {
                throw CouldNotRun(error.description)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show whether the embedded cluster runs (exit 0 running, 1 stopped or not initialised).")
        @OptionGroup var options: HomeOptions
        @Flag(help: "Print JSON: {\"state\", \"url\", \"pid\", \"home\", \"dataDirectory\"}.") var json = false

        func run() throws {
            let cluster = options.cluster
            let status = cluster.status()
            var object: [String: Any] = ["home": cluster.home.path]
            if let data = cluster.dataDirectory { object["dataDirectory"] = data.path }
            let line: String
            switch status {
            case .running(let url, let pid):
                object["state"] = "running"
                object["url"] = url
                object["pid"] = Int(pid)
                line = "running (pid \(pid)): \(url)"
            case .stopped:
                object["state"] = "stopped"
                line = "stopped"
            case .notInitialized:
                object["state"] = "notInitialized"
                line = "not initialised (sealpress db start creates it)"
            }
            if json {
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(line)
            }
            if case .running = status { return }
            throw ExitCode(1)
        }
    }

    struct URLCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url", abstract: "Print the URL of the running embedded cluster (exit 1 when not running).")
        @OptionGroup var options: HomeOptions

        func run() throws {
            guard let url = options.cluster.url else {
                FileHandle.standardError.write(Data("sealpress: the embedded cluster is not running (sealpress db start)\n".utf8))
                throw ExitCode(1)
            }
            print(url)
        }
    }
}
