import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs PostgreSQL's programs (initdb, pg_ctl, pg_config) to completion with `posix_spawn` + `waitpid`.
///
/// Foundation's `Process` is not used: on Linux it notices a child's exit through a descriptor the child
/// inherits, and the server that `pg_ctl start` leaves behind inherits it too, so it would wait forever.
enum ServerProcess {
    #if canImport(Glibc)
        typealias FileActions = posix_spawn_file_actions_t
    #else
        typealias FileActions = posix_spawn_file_actions_t?
    #endif

    struct Outcome {
        var status: Int32
        var output: String
    }

    /// Runs `argv` from `/` in a new session, stdin from /dev/null. Output (stdout and stderr together) is
    /// captured, or written to `log` when given — use that for `pg_ctl start`, whose server inherits it.
    static func run(_ argv: [String], environment: [String: String]?, log: FileHandle? = nil) throws(PGError) -> Outcome {
        let shellArgv = ["/bin/sh", "-c", "cd / && exec \"$@\"", "sh"] + argv
        var pipeDescriptors: [Int32] = [-1, -1]
        let outputDescriptor: Int32
        if let log {
            outputDescriptor = log.fileDescriptor
        } else {
            guard pipe(&pipeDescriptors) == 0 else { throw failure("pipe", argv) }
            outputDescriptor = pipeDescriptors[1]
        }
        for descriptor in pipeDescriptors where descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        defer { for descriptor in pipeDescriptors where descriptor >= 0 { _ = close(descriptor) } }

        #if canImport(Glibc)
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
            let newSession: Int32 = 0x80  // POSIX_SPAWN_SETSID (glibc, hidden behind _GNU_SOURCE)
        #else
            var actions: posix_spawn_file_actions_t? = nil
            var attributes: posix_spawnattr_t? = nil
            let newSession = Int32(POSIX_SPAWN_SETSID)
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, 2)
        closeInheritedDescriptors(&actions)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // A new session keeps the server out of our process group: Ctrl-C on a worker does not stop it.
        posix_spawnattr_setflags(&attributes, Int16(newSession | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)))

        let environmentList = (environment.map(cleanEnvironment) ?? ProcessInfo.processInfo.environment)
            .map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let spawned = withCStrings(shellArgv) { arguments in
            withCStrings(environmentList) { variables in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments, variables)
            }
        }
        guard spawned == 0 else {
            throw PGError(.embeddedServerFailed, "cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var output = Data()
        if log == nil {
            _ = close(pipeDescriptors[1])
            pipeDescriptors[1] = -1
            var chunk = [UInt8](repeating: 0, count: 16_384)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(pipeDescriptors[0], $0.baseAddress, $0.count) }
                if count > 0 {
                    output.append(contentsOf: chunk[0..<count])
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno == EINTR { continue }
            status = 0  // reaped elsewhere (SIGCHLD ignored): callers check the effect instead
            break
        }
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: exitStatus, output: String(decoding: output, as: UTF8.self))
    }

    /// Makes the child close every descriptor above stderr, so the server never holds a pipe of ours (or
    /// of a sibling process we run) open — that would keep the reader of that pipe waiting forever.
    private static func closeInheritedDescriptors(_ actions: inout FileActions) {
        #if canImport(Glibc)
            // glibc ≥ 2.34 has posix_spawn_file_actions_addclosefrom_np, declared only under _GNU_SOURCE.
            typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
            if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
                _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
                return
            }
            let listing = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            for descriptor in listing.compactMap({ Int32($0) }) where descriptor > 2 {
                posix_spawn_file_actions_addclose(&actions, descriptor)
            }
        #endif
    }

    /// The environment without libpq/server variables that could redirect the programs.
    static func cleanEnvironment(_ environment: [String: String]) -> [String: String] {
        var cleaned = environment.filter { !$0.key.hasPrefix("PG") }
        cleaned["LC_ALL"] = "C"
        return cleaned
    }

    private static func failure(_ call: String, _ argv: [String]) -> PGError {
        PGError(.embeddedServerFailed, "\(call) failed running \(argv[0]): \(String(cString: strerror(errno)))")
    }

    /// Calls `body` with a NULL-terminated C array of the strings.
    private static func withCStrings<R>(
        _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R
    ) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
