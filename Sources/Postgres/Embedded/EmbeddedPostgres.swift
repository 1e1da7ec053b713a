import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A private PostgreSQL cluster kept under a SealPress home directory — the default database when none
/// is configured, and the throwaway server of the test suites.
///
/// Layout: `<home>/pgdata` (data), `<home>/pgsocket` (Unix socket), `<home>/postgres.log` (server log),
/// `<home>/postgres.json` (port, user and data location), `<home>/postgres.lock` (serialises start/stop
/// across processes). The server listens on 127.0.0.1 only, on a random free port kept across restarts,
/// with `trust` authentication for loopback — any local user can connect, so use it on single-user
/// machines, CI and demos, and a real server (``DatabaseLocation``) in production.
///
/// When running as root the server runs as the `postgres` account; if that account cannot traverse the
/// home directory, the data directory goes to `~postgres/sealpress/<hash of home>` and `postgres.json`
/// records where.
public final class EmbeddedPostgres: Sendable {
    /// How the cluster is created and run.
    public struct Configuration: Sendable {
        /// False for throwaway clusters: `fsync=off`, `synchronous_commit=off`, `full_page_writes=off`,
        /// and initdb without syncing. Crash-unsafe; tests only.
        public var durable: Bool
        /// The database created for SealPress.
        public var databaseName: String
        /// `max_connections` of the server.
        public var maxConnections: Int
        /// Environment used to find binaries (`SEALPRESS_PG_BIN`, `PATH`).
        public var environment: [String: String]
        /// How long `pg_ctl` waits for start-up or shutdown.
        public var timeoutSeconds: Int

        public init(
            durable: Bool = true, databaseName: String = "sealpress", maxConnections: Int = 100,
            environment: [String: String] = ProcessInfo.processInfo.environment, timeoutSeconds: Int = 60
        ) {
            self.durable = durable
            self.databaseName = databaseName
            self.maxConnections = maxConnections
            self.environment = environment
            self.timeoutSeconds = timeoutSeconds
        }

        /// Settings for a test cluster: not durable.
        public static var throwaway: Configuration { Configuration(durable: false) }
    }

    /// Whether the cluster exists and runs.
    public enum Status: Sendable, Hashable {
        case running(url: String, pid: Int32)
        case stopped
        case notInitialized
    }

    /// The SealPress home holding the cluster.
    public let home: URL
    public let configuration: Configuration
    private let logger: Logger

    public init(home: URL, configuration: Configuration = Configuration(), logger: Logger = Logger(label: "sealpress.postgres.embedded")) {
        self.home = home.standardizedFileURL
        self.configuration = configuration
        self.logger = logger
    }

    var stateFile: URL { home.appendingPathComponent("postgres.json") }
    var lockFile: URL { home.appendingPathComponent("postgres.lock") }
    /// The server log.
    public var logFile: URL { home.appendingPathComponent("postgres.log") }

    // MARK: - Status

    /// The URL of the running cluster, or nil when it is not running.
    public var url: String? {
        if case .running(let url, _) = status() { return url }
        return nil
    }

    /// The data directory in use (nil before the first start).
    public var dataDirectory: URL? {
        ClusterState.load(from: stateFile).map { URL(fileURLWithPath: $0.dataDirectory, isDirectory: true) }
    }

    /// Reports whether the cluster is initialised and running (reads `postmaster.pid`; no connection).
    public func status() -> Status {
        guard let state = ClusterState.load(from: stateFile),
            FileManager.default.fileExists(atPath: state.dataDirectory + "/PG_VERSION")
        else { return .notInitialized }
        guard let pid = Self.runningPID(dataDirectory: state.dataDirectory) else { return .stopped }
        return .running(url: url(for: state, database: configuration.databaseName), pid: pid)
    }

    /// The server's PID from `postmaster.pid` when that process is alive.
    static func runningPID(dataDirectory: String) -> Int32? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first, let pid = Int32(first.trimmingCharacters(in: .whitespaces)),
            pid > 0
        else { return nil }
        return isAlive(pid) ? pid : nil
    }

    /// True when `pid` is a live process (not a zombie waiting for a parent that does not reap it).
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
            // /proc/PID/stat: "pid (comm) S …"; the state follows the last ')'.
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            {
                let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
                return state != "Z" && state != "X"
            }
        #endif
        return true
    }

    /// The port from line 4 of `postmaster.pid`.
    static func runningPort(_ dataDirectory: String) -> Int? {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count > 3 ? Int(lines[3].trimmingCharacters(in: .whitespaces)) : nil
    }

    func url(for state: ClusterState, database: String) -> String {
        "postgresql://\(state.user)@127.0.0.1:\(state.port)/\(database)"
    }

    // MARK: - Start

    /// Starts the cluster (initialising it first if needed) and returns its URL,
    /// `postgresql://USER@127.0.0.1:PORT/sealpress`. Returns the URL at once when already running.
    ///
    /// Safe to call from several processes at once: a lock file serialises them, so only one runs initdb.
    ///
    /// - Throws: ``PGError/Code/binariesNotFound`` or ``PGError/Code/embeddedServerFailed`` (with the log's tail).
    @discardableResult
    public func start() throws(PGError) -> String {
        try createDirectory(home)
        let lock = try FileLock(path: lockFile.path)
        defer { lock.unlock() }
        if case .running(let url, _) = status() { return url }

        let binaries = try Self.findBinaries(environment: configuration.environment)
        let account = try ServerAccount.current()
        var state: ClusterState
        if let saved = ClusterState.load(from: stateFile) { state = saved } else { state = try newState(account: account) }
        state.binDirectory = binaries.path
        try prepareDirectories(state, account: account)
        if !FileManager.default.fileExists(atPath: state.dataDirectory + "/PG_VERSION") {
            try initdb(state, binaries: binaries, account: account)
        } else if Self.runningPID(dataDirectory: state.dataDirectory) != nil, let port = Self.runningPort(state.dataDirectory) {
            // A server runs on this data directory but our state file was lost: adopt it.
            state.port = port
            try state.save(to: stateFile)
            try createDatabase(state)
            return url(for: state, database: configuration.databaseName)
        }
        try clearStalePidFile(state.dataDirectory)
        if let socketDirectory = state.socketDirectory { clearStaleSocketLocks(socketDirectory) }
        let preferredPort = state.port
        var attempt = 0
        while true {
            attempt += 1
            if attempt > 1 || state.port == 0 { state.port = try Self.freePort() }
            try writeSettings(state, account: account)
            let (started, log) = try launch(state, binaries: binaries, account: account)
            if started { break }
            let portTaken = log.contains("Address already in use") || log.contains("could not bind")
                || log.contains("could not create any TCP/IP sockets")
            if !portTaken || attempt >= 6 {
                throw PGError(.embeddedServerFailed, "PostgreSQL did not start (see \(logFile.path)): \(Self.tail(log))")
            }
            logger.notice("port \(state.port) is taken, trying another", metadata: ["preferred": "\(preferredPort)"])
        }
        try state.save(to: stateFile)
        try createDatabase(state)
        logger.info("embedded PostgreSQL running", metadata: ["port": "\(state.port)", "data": "\(state.dataDirectory)"])
        return url(for: state, database: configuration.databaseName)
    }

    /// Stops the cluster (`pg_ctl stop -m fast`: open sessions are terminated with SQLSTATE 57P01).
    /// Does nothing when it is not running.
    public func stop() throws(PGError) {
        guard FileManager.default.fileExists(atPath: home.path) else { return }
        let lock = try FileLock(path: lockFile.path)
        defer { lock.unlock() }
        try stopLocked()
    }

    /// Stops and starts the cluster on the same port (used by tests that prove clients survive a restart).
    @discardableResult
    public func restart() throws(PGError) -> String {
        try stop()
        return try start()
    }

    /// Stops the cluster and deletes its data directory, socket directory and state (the log stays).
    public func destroy() throws(PGError) {
        guard FileManager.default.fileExists(atPath: home.path) else { return }
        let lock = try FileLock(path: lockFile.path)
        defer { lock.unlock() }
        try stopLocked()
        if let state = ClusterState.load(from: stateFile) {
            let data = URL(fileURLWithPath: state.dataDirectory)
            try? FileManager.default.removeItem(at: data)
            if let socket = state.socketDirectory { try? FileManager.default.removeItem(atPath: socket) }
            let root = data.deletingLastPathComponent()
            if root.standardizedFileURL.path != home.path {
                try? FileManager.default.removeItem(at: root)  // the relocated cluster root
            }
        }
        try? FileManager.default.removeItem(at: stateFile)
    }

    private func stopLocked() throws(PGError) {
        guard let state = ClusterState.load(from: stateFile),
            let pid = Self.runningPID(dataDirectory: state.dataDirectory)
        else { return }
        let binaries: URL
        if let saved = state.binDirectory.map({ URL(fileURLWithPath: $0) }), Self.hasServerPrograms(saved) {
            binaries = saved
        } else {
            binaries = try Self.findBinaries(environment: configuration.environment)
        }
        let account = try ServerAccount.current()
        let argv = try account.commandPrefix() + [
            binaries.appendingPathComponent("pg_ctl").path, "stop", "-D", state.dataDirectory, "-m", "fast", "-w",
            "-t", String(configuration.timeoutSeconds), "-s",
        ]
        let outcome = try ServerProcess.run(argv, environment: configuration.environment)
        if outcome.status != 0, Self.runningPID(dataDirectory: state.dataDirectory) != nil {
            throw PGError(.embeddedServerFailed, "pg_ctl stop failed for pid \(pid): \(Self.tail(outcome.output))")
        }
        logger.info("embedded PostgreSQL stopped", metadata: ["pid": "\(pid)"])
    }

    // MARK: - Steps

    private func newState(account: ServerAccount) throws(PGError) -> ClusterState {
        var root = home
        if account.switchesUser, !account.canTraverse(home.path) {
            root = try relocatedRoot(account: account)
            logger.notice(
                "the postgres account cannot reach the home directory; keeping the cluster elsewhere",
                metadata: ["home": "\(home.path)", "data": "\(root.path)"])
        }
        let socket = root.appendingPathComponent("pgsocket").path
        // sun_path holds 108 bytes on Linux (104 on macOS); without a short enough path, TCP only.
        let socketFits = (socket + "/.s.PGSQL.65535.lock").utf8.count < 100
        return ClusterState(
            dataDirectory: root.appendingPathComponent("pgdata").path, socketDirectory: socketFits ? socket : nil,
            port: 0, user: account.name, binDirectory: nil)
    }

    /// A postgres-owned directory for a home the postgres account cannot traverse.
    private func relocatedRoot(account: ServerAccount) throws(PGError) -> URL {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a of the home path: stable per home
        for byte in home.path.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01b3
        }
        let name = String(hash, radix: 16)
        var bases: [String] = []
        if let accountHome = account.home, account.canTraverse(accountHome) { bases.append(accountHome + "/sealpress") }
        bases.append("/tmp/sealpress-postgres")
        for base in bases {
            do throws(PGError) {
                try createDirectory(URL(fileURLWithPath: base, isDirectory: true))
                try account.takeOwnership(of: base, mode: 0o700)
                return URL(fileURLWithPath: base, isDirectory: true).appendingPathComponent(name, isDirectory: true)
            } catch {
                continue
            }
        }
        throw PGError(.embeddedServerFailed, "no directory the postgres account can use for the cluster data")
    }

    private func prepareDirectories(_ state: ClusterState, account: ServerAccount) throws(PGError) {
        let data = URL(fileURLWithPath: state.dataDirectory, isDirectory: true)
        let root = data.deletingLastPathComponent()
        if root.standardizedFileURL.path != home.path {
            try createDirectory(root)
            try account.takeOwnership(of: root.path, mode: 0o700)
        }
        if !FileManager.default.fileExists(atPath: data.path + "/PG_VERSION") {
            try? FileManager.default.removeItem(at: data)  // left over from an interrupted initdb
        }
        try createDirectory(data)
        try account.takeOwnership(of: data.path, mode: 0o700)
        if let socket = state.socketDirectory {
            try createDirectory(URL(fileURLWithPath: socket, isDirectory: true))
            try account.takeOwnership(of: socket, mode: 0o755)
        }
    }

    private func initdb(_ state: ClusterState, binaries: URL, account: ServerAccount) throws(PGError) {
        var argv = try account.commandPrefix() + [
            binaries.appendingPathComponent("initdb").path, "-D", state.dataDirectory, "-U", state.user,
            "--auth=trust", "--encoding=UTF8", "--locale=C",
        ]
        if !configuration.durable { argv.append("--no-sync") }
        let outcome = try ServerProcess.run(argv, environment: configuration.environment)
        guard outcome.status == 0 else {
            throw PGError(.embeddedServerFailed, "initdb failed: \(Self.tail(outcome.output))")
        }
        let conf = state.dataDirectory + "/postgresql.conf"
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: conf))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\n# SealPress embedded cluster settings\ninclude_if_exists = 'sealpress.conf'\n".utf8))
            try handle.close()
        } catch {
            throw PGError(.embeddedServerFailed, "cannot update \(conf): \(error)")
        }
        logger.info("initialised embedded PostgreSQL cluster", metadata: ["data": "\(state.dataDirectory)"])
    }

    /// Removes `postmaster.pid` left by a server that died without cleaning up (killed, or a zombie because
    /// the container's PID 1 does not reap orphans — PostgreSQL itself would then refuse to start),
    /// after waiting for every process still working in the data directory to exit.
    private func clearStalePidFile(_ dataDirectory: String) throws(PGError) {
        let pidFile = dataDirectory + "/postmaster.pid"
        guard FileManager.default.fileExists(atPath: pidFile), Self.runningPID(dataDirectory: dataDirectory) == nil
        else { return }
        let deadline = Date().addingTimeInterval(Double(configuration.timeoutSeconds))
        while Self.processesWorking(in: dataDirectory) {
            guard Date() < deadline else {
                throw PGError(.embeddedServerFailed, "server processes of a dead postmaster still use \(dataDirectory)")
            }
            usleep(100_000)
        }
        try? FileManager.default.removeItem(atPath: pidFile)
        logger.notice("removed the stale postmaster.pid of a server that did not shut down cleanly")
    }

    /// Removes `.s.PGSQL.<port>.lock` files (and their sockets) whose owning postmaster is dead.
    private func clearStaleSocketLocks(_ socketDirectory: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: socketDirectory) else { return }
        for entry in entries where entry.hasPrefix(".s.PGSQL.") && entry.hasSuffix(".lock") {
            let lock = socketDirectory + "/" + entry
            guard let text = try? String(contentsOfFile: lock, encoding: .utf8),
                let pid = Int32(text.split(separator: "\n").first?.trimmingCharacters(in: .whitespaces) ?? ""),
                !Self.isAlive(pid)
            else { continue }
            try? FileManager.default.removeItem(atPath: lock)
            try? FileManager.default.removeItem(atPath: String(lock.dropLast(".lock".count)))
        }
    }

    /// True when a live process has `directory` as its working directory (PostgreSQL backends do).
    static func processesWorking(in directory: String) -> Bool {
        #if os(Linux)
            let target = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
            for entry in entries {
                guard let pid = Int32(entry), pid != getpid(),
                    let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/cwd"),
                    cwd == target, isAlive(pid)
                else { continue }
                return true
            }
        #endif
        return false
    }

    private func writeSettings(_ state: ClusterState, account: ServerAccount) throws(PGError) {
        func quoted(_ value: String) -> String { "'" + value.replacingOccurrences(of: "'", with: "''") + "'" }
        var lines = [
            "# Written by sealpress at every start; edit postgresql.conf instead.",
            "listen_addresses = '127.0.0.1'",
            "port = \(state.port)",
            "unix_socket_directories = \(quoted(state.socketDirectory ?? ""))",
            "max_connections = \(configuration.maxConnections)",
        ]
        if !configuration.durable {
            lines += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        }
        let path = state.dataDirectory + "/sealpress.conf"
        do {
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw PGError(.embeddedServerFailed, "cannot write \(path): \(error)")
        }
        try account.takeOwnership(of: path, mode: 0o600)
    }

    /// Runs `pg_ctl start`; returns whether it started and the log written meanwhile.
    private func launch(
        _ state: ClusterState, binaries: URL, account: ServerAccount
    ) throws(PGError) -> (Bool, String) {
        // Keep the log bounded: past 10 MB the previous log becomes postgres.log.1.
        if let size = (try? FileManager.default.attributesOfItem(atPath: logFile.path))?[.size] as? Int,
            size > 10 * 1024 * 1024
        {
            let previous = logFile.path + ".1"
            try? FileManager.default.removeItem(atPath: previous)
            try? FileManager.default.moveItem(atPath: logFile.path, toPath: previous)
        }
        if !FileManager.default.fileExists(atPath: logFile.path) {
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        }
        guard let log = FileHandle(forWritingAtPath: logFile.path) else {
            throw PGError(.embeddedServerFailed, "cannot open \(logFile.path)")
        }
        defer { try? log.close() }
        let offset = (try? log.seekToEnd()) ?? 0
        var argv = try account.commandPrefix()
        argv += [
            binaries.appendingPathComponent("pg_ctl").path, "start", "-D", state.dataDirectory, "-w",
            "-t", String(configuration.timeoutSeconds), "-s",
        ]
        let outcome = try ServerProcess.run(argv, environment: configuration.environment, log: log)
        let written = (try? Data(contentsOf: logFile))
            .map { String(decoding: $0.dropFirst(Int(offset)), as: UTF8.self) } ?? ""
        return (outcome.status == 0 && Self.runningPID(dataDirectory: state.dataDirectory) != nil, written)
    }

    private func createDatabase(_ state: ClusterState) throws(PGError) {
        let connection = try PGConnection(url(for: state, database: "postgres"), logger: logger)
        defer { connection.close() }
        let name = configuration.databaseName
        let exists = try connection.query("SELECT 1 FROM pg_database WHERE datname = $1", [.text(name)])
        if exists.rowCount == 0 {
            try connection.execute("CREATE DATABASE \(PGConnection.quoteIdentifier(name))")
        }
    }

    private func createDirectory(_ url: URL) throws(PGError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw PGError(.embeddedServerFailed, "cannot create \(url.path): \(error)")
        }
    }

    /// A port on 127.0.0.1 that is free right now (the kernel picks it).
    static func freePort() throws(PGError) -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw PGError(.embeddedServerFailed, "socket() failed") }
        defer { _ = close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw PGError(.embeddedServerFailed, "cannot find a free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The last lines of a program's output, for error messages.
    static func tail(_ text: String, lines: Int = 8) -> String {
        text.split(separator: "\n").suffix(lines).joined(separator: " | ")
    }
}
