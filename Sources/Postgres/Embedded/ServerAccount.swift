import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The OS account that owns and runs the embedded cluster.
///
/// PostgreSQL refuses to run as root, so when SealPress runs as root the server programs run as the
/// `postgres` account (through `runuser` or `setpriv`) and the data directory belongs to it.
/// Otherwise they run as the current user, who is also the database superuser.
struct ServerAccount: Sendable {
    var name: String
    var uid: uid_t
    var gid: gid_t
    var home: String?
    /// True when commands must switch to this account (we are root).
    var switchesUser: Bool

    static func current() throws(PGError) -> ServerAccount {
        if geteuid() == 0 {
            guard let entry = getpwnam("postgres") else {
                throw PGError(
                    .embeddedServerFailed,
                    "running as root needs a 'postgres' OS account to run the server (apt-get install postgresql creates it)")
            }
            return ServerAccount(
                name: "postgres", uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid,
                home: entry.pointee.pw_dir.map { String(cString: $0) }, switchesUser: true)
        }
        let uid = geteuid()
        let name = getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } }
            ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        return ServerAccount(name: name, uid: uid, gid: getegid(), home: nil, switchesUser: false)
    }

    /// The argv prefix that runs a program as this account (empty when no switch is needed).
    func commandPrefix() throws(PGError) -> [String] {
        guard switchesUser else { return [] }
        for runuser in ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
        where FileManager.default.isExecutableFile(atPath: runuser) {
            return [runuser, "-u", name, "--"]
        }
        for setpriv in ["/usr/bin/setpriv", "/bin/setpriv"] where FileManager.default.isExecutableFile(atPath: setpriv) {
            return [setpriv, "--reuid=\(uid)", "--regid=\(gid)", "--init-groups", "--"]
        }
        throw PGError(.embeddedServerFailed, "running as root needs runuser or setpriv (util-linux) to start PostgreSQL")
    }

    /// Gives a path we created to this account (no-op when we already are it).
    func takeOwnership(of path: String, mode: mode_t) throws(PGError) {
        if switchesUser, chown(path, uid, gid) != 0 {
            throw PGError(.embeddedServerFailed, "cannot chown \(path): \(String(cString: strerror(errno)))")
        }
        if chmod(path, mode) != 0 {
            throw PGError(.embeddedServerFailed, "cannot chmod \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// True when this account can traverse `path` (and every directory above it).
    func canTraverse(_ path: String) -> Bool {
        guard switchesUser, let prefix = try? commandPrefix() else { return true }
        let result = try? ServerProcess.run(prefix + ["/usr/bin/test", "-x", path], environment: nil)
        return result?.status == 0
    }
}
