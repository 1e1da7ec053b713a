import Foundation
import Postgres

/// CPU seconds the parts of a `bench pipeline` run used: this process (the producer enqueueing and polling), the
/// worker processes (children, counted once reaped) and the PostgreSQL server (its postmaster, the backends it
/// reaped, and the live ones, from /proc). With the run's wall time and the core count they say whether the run
/// was bound by the cores, and how many documents per second the cores allow at the CPU a document costs.
struct PipelineCPU {
    struct Sample {
        var producer: Double
        var children: Double
        var postgres: Double?
    }

    /// The server's postmaster, when it runs on this machine (its /proc entry is readable), else nil.
    let postmaster: Int32?

    init(connection: PGConnection) {
        let backend = (try? connection.query("SELECT pg_backend_pid()")[0].int(0)).map { Int32($0) }
        postmaster = backend.flatMap { Self.stat($0)?.parent }
    }

    func sample() -> Sample {
        Sample(
            producer: Self.cpuSeconds(RUSAGE_SELF), children: Self.cpuSeconds(RUSAGE_CHILDREN),
            postgres: postmaster.flatMap(Self.serverSeconds))
    }

    static func cpuSeconds(_ who: __rusage_who) -> Double {
        var usage = Glibc.rusage()
        getrusage(__rusage_who_t(who.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// /proc/PID/stat: the parent and the CPU seconds of the process itself and of its reaped children.
    static func stat(_ pid: Int32) -> (parent: Int32, own: Double, reaped: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)": state ppid … utime(14) stime(15) cutime(16) cstime(17), numbered from 1 for pid.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let parent = Int32(fields[1]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        func value(_ field: Int) -> Double { (Double(fields[field - 3]) ?? 0) / ticks }
        return (parent, value(14) + value(15), value(16) + value(17))
    }

    /// The postmaster's own and reaped CPU plus every live child's own.
    static func serverSeconds(_ postmaster: Int32) -> Double? {
        guard let server = stat(postmaster) else { return nil }
        var total = server.own + server.reaped
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), pid != postmaster, let child = stat(pid), child.parent == postmaster else { continue }
            total += child.own
        }
        return total
    }

    /// The figures of one run: from `before` (taken as the run starts) to `server` (the server's, when the last
    /// job completed) and `after` (this process and its children, once the workers are reaped).
    static func figures(
        before: Sample, server: Sample, after: Sample, docs: Int, seconds: Double, cores: Int
    ) -> [String: Any] {
        let producer = after.producer - before.producer
        let workers = after.children - before.children
        var postgres: Double?
        if let end = server.postgres, let start = before.postgres { postgres = end - start }
        let total = producer + workers + (postgres ?? 0)
        let perDocument = total / Double(max(docs, 1))
        func rounded(_ value: Double, _ places: Double = 1000) -> Double { (value * places).rounded() / places }
        var result: [String: Any] = [
            "cpuSecondsProducer": rounded(producer), "cpuSecondsWorkers": rounded(workers),
            "cpuSecondsPostgres": postgres.map { rounded($0) as Any } ?? NSNull(),
            "cpuMillisecondsPerDocument": rounded(perDocument * 1000, 100),
            "coreUtilisation": rounded(total / (seconds * Double(cores))),
        ]
        result["cpuBoundDocsPerSecond"] = perDocument > 0 ? rounded(Double(cores) / perDocument, 10) : NSNull()
        return result
    }

    /// How far the cores let the run approach the database limit, from figures of the same run: the CPU pgbench
    /// itself spent per result (pgbench and the server, the mean over its runs), the CPU a document may cost in
    /// all (workers, server, producer) for the run to reach 70 % of the limit on these cores, and the share of the
    /// limit the cores allow at the CPU per document the run measured. Where the server shares the cores with the
    /// workers, a document costs at least one result write plus its signature, so these say whether 70 % is
    /// reachable here at all.
    static func bound(
        pgbenchRuns: [(completed: Int, cpuSeconds: Double?)], pgbench: Double?, cpuBoundDocsPerSecond: Double?,
        cores: Int
    ) -> [String: Any] {
        func rounded(_ value: Double, _ places: Double = 1000) -> Double { (value * places).rounded() / places }
        let perResult = pgbenchRuns.compactMap { run in run.cpuSeconds.map { $0 / Double(max(run.completed, 1)) } }
        var result: [String: Any] = [
            "pgbenchCpuMillisecondsPerResult": perResult.isEmpty
                ? NSNull() : rounded(perResult.reduce(0, +) / Double(perResult.count) * 1000, 100),
            "cpuBudgetMillisecondsPerDocumentAtGoal": NSNull(), "cpuBoundRatioToPgbench": NSNull(),
        ]
        if let pgbench, pgbench > 0 {
            result["cpuBudgetMillisecondsPerDocumentAtGoal"] = rounded(Double(cores) / (0.7 * pgbench) * 1000, 100)
            if let cpuBoundDocsPerSecond { result["cpuBoundRatioToPgbench"] = rounded(cpuBoundDocsPerSecond / pgbench) }
        }
        return result
    }
}
