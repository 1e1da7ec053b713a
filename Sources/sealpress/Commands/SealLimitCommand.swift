import ArgumentParser
import Foundation
import Postgres
import SealPipeline
import SealQueue

/// `sealpress seal limit NAME [--max-concurrent N] [--rate N/s|N/min] [--burst N] [--clear]`.
struct SealLimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limit", abstract: "Cap how many stamp jobs of a seal run at once and how fast they start.",
        discussion: """
            The limits live in the database (sealpress.job_limits, keyed by the seal's registry name) and every \
            worker's claim obeys them, on any host: a stamp job whose seal is at its limit stays available while \
            other seals' jobs are claimed. A job counts against --max-concurrent while it is running, until it \
            finishes or the rescuer returns it (a SIGKILLed worker holds its slot only until its heartbeat \
            expires). --rate is a token bucket: N starts per second or minute, --burst at once after an idle \
            period (default 1); workers claim again at least every --poll-seconds, so give a burst of at least \
            rate × poll interval to reach the rate. Jobs enqueued with `sealpress enqueue stamp` carry their \
            pipeline's seal. Setting \
            neither limit shows the current ones; --clear removes them. Changes apply to the next claim; running \
            jobs finish.

            Examples:
              sealpress seal limit contract --max-concurrent 4
              sealpress seal limit contract --rate 20/s --burst 40
              sealpress seal limit hsm-seal --max-concurrent 8 --rate 600/min
              sealpress seal limit contract --clear
            """)

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The seal's registry name (or esID).") var name: String
    @Option(help: ArgumentHelp("At most this many of the seal's jobs running at once.", valueName: "n"))
    var maxConcurrent: Int?
    @Option(help: ArgumentHelp("At most this many job starts per second or minute: 5/s, 300/min.", valueName: "n/unit"))
    var rate: String?
    @Option(help: ArgumentHelp(
        "Starts allowed at once after an idle period (with --rate; default: the current burst, else 1).",
        valueName: "n"))
    var burst: Int?
    @Flag(help: "Remove the seal's limits.") var clear = false

    func validate() throws {
        if let maxConcurrent, maxConcurrent < 1 { throw ValidationError("--max-concurrent must be at least 1") }
        if let rate, Self.ratePerSecond(rate) == nil {
            throw ValidationError("--rate wants a rate such as 5/s, 300/min or 2 (per second), not \"\(rate)\"")
        }
        if let burst, burst < 1 { throw ValidationError("--burst must be at least 1") }
        if clear, maxConcurrent != nil || rate != nil {
            throw ValidationError("--clear removes the limits; give it without --max-concurrent or --rate")
        }
    }

    /// Jobs per second for `5/s`, `300/min`, `3600/h` or a plain number (per second); nil when unreadable.
    static func ratePerSecond(_ text: String) -> Double? {
        let parts = text.lowercased().replacingOccurrences(of: " ", with: "").split(separator: "/")
        guard let first = parts.first, let count = Double(first), count > 0, count.isFinite, parts.count <= 2 else {
            return nil
        }
        guard parts.count == 2 else { return count }
        switch parts[1] {
        case "s", "sec", "second": return count
        case "m", "min", "minute": return count / 60
        case "h", "hour": return count / 3600
        default: return nil
        }
    }

    func run() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let seal = try SealRegistryInput.run("read the registry") { try SealRegistry().seal(named: name, on: connection) }
        guard let seal else {
            throw CouldNotRun("no seal named '\(name)' is registered; see `sealpress seal list`")
        }
        let queue = JobQueue(connection: connection)
        do {
            if clear {
                try queue.removeLimit(key: seal.name)
                print("seal \(seal.name): no limits")
                return
            }
            if maxConcurrent != nil || rate != nil || burst != nil {
                let current = try queue.limits().first { $0.key == seal.name }
                try queue.setLimit(JobLimit(
                    key: seal.name, maxConcurrent: maxConcurrent ?? current?.maxConcurrent,
                    ratePerSecond: rate.flatMap(Self.ratePerSecond) ?? current?.ratePerSecond,
                    burst: burst ?? current?.burst ?? 1))
            }
            let limit = try queue.limits().first { $0.key == seal.name }
            print("seal \(seal.name): " + Self.describe(limit))
        } catch {
            throw QueueCommandSupport.couldNotRun(error, doing: "set the seal's limits")
        }
    }

    static func describe(_ limit: JobLimit?) -> String {
        guard let limit else { return "no limits" }
        var parts: [String] = []
        if let max = limit.maxConcurrent { parts.append("at most \(max) running at once") }
        if let rate = limit.ratePerSecond {
            parts.append(String(format: "at most %g starts per second", rate) + " (burst \(limit.burst))")
        }
        return parts.joined(separator: ", ")
    }
}
