import Foundation
import SealTestSupport
import Testing

/// The operator console as `sealpress serve` mounts it: the real binary, one server for health, status and console.
@Suite(.enabled(if: CLIWorld.binaryBuilt, "the sealpress binary is not built (swift build --build-tests)"))
struct ServeConsoleCLITests {
    @Test func serveMountsTheConsoleBehindItsLoginWhileHealthAndStatusStayOpen() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("serve-console")
        let url = try TestPostgres.shared.makeDatabase(prefix: "cli_serve_console")
        let database = ["--database-url", url]
        #expect(try world.run(["migrate"] + database).status == 0)
        let passwordFile = folder.appendingPathComponent("password").path
        let password = "correct horse battery"
        try Data("\(password)\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        let added = try world.run(
            ["account", "add", "operator1", "--role", "operator", "--password-file", passwordFile] + database)
        #expect(added.status == 0, "\(added.stderr)")
        let statusKey = "file:\(world.path("pki/ecdsa-signer.key.pem"))?cert=\(world.path("pki/ecdsa-signer.cert.pem"))"
        let server = try ServeProcess(world.binary, database + ["--status-key", statusKey])
        defer { #expect(server.stop() == 0) }
        let port = server.port

        // The console's login page is served by serve itself.
        let login = try HTTPGet.exchange(port: port, path: "/console/login")
        #expect(login.status == 200)
        #expect(login.body.contains("name=\"account\"") && login.body.contains("name=\"password\""))
        // An anonymous page request goes to the login page, and sees no data.
        let anonymous = try HTTPGet.exchange(port: port, path: "/console/batches")
        #expect((300..<400).contains(anonymous.status), "\(anonymous.status) \(anonymous.body)")
        #expect(anonymous.headers["location"] == "/console/login")
        // Plain HTTP on loopback: the session cookie is HttpOnly and SameSite=Strict, not Secure.
        let form = "account=operator1&password=\(password.replacingOccurrences(of: " ", with: "+"))"
        let loggedIn = try HTTPGet.exchange(port: port, method: "POST", path: "/console/login", body: form)
        let cookie = try #require(loggedIn.headers["set-cookie"], "\(loggedIn.status) \(loggedIn.body)")
        #expect(cookie.hasPrefix("sealpress_session=") && cookie.contains("HttpOnly") && !cookie.contains("Secure"))
        let session = String(cookie.prefix { $0 != ";" })
        let batches = try HTTPGet.exchange(port: port, path: "/console/batches", headers: ["Cookie: \(session)"])
        #expect(batches.status == 200, "\(batches.body)")

        // Health and the status service stay open: no login, no redirect.
        let health = try HTTPGet.exchange(port: port, path: "/healthz")
        #expect(health.status == 200 && health.body.contains("ok"))
        let certificate = try HTTPGet.exchange(port: port, path: "/status/v1/certificate")
        #expect(certificate.status == 200 && certificate.headers["location"] == nil)
        let unknown = try HTTPGet.exchange(port: port, path: "/status/v1/seals/NO-SUCH-SEAL")
        #expect(unknown.status == 404 && unknown.headers["location"] == nil)
    }

    /// `--login-account-failures 2 --login-lockout 120`: the third login of an account after two wrong passwords
    /// is refused with 429 and Retry-After, even with the right password; flags below 1 are usage errors.
    @Test func serveTakesTheLoginThrottleFromItsFlags() throws {
        let world = try CLIWorld.require()
        let folder = try world.folder("serve-throttle")
        let url = try TestPostgres.shared.makeDatabase(prefix: "cli_serve_throttle")
        let database = ["--database-url", url]
        #expect(try world.run(["migrate"] + database).status == 0)
        let passwordFile = folder.appendingPathComponent("password").path
        try Data("right password 1\n".utf8).write(to: URL(fileURLWithPath: passwordFile))
        #expect(try world.run(["account", "add", "viewer1", "--role", "viewer", "--password-file", passwordFile] + database).status == 0)
        let refused = try world.run(["serve", "--login-account-failures", "0"] + database)
        #expect(refused.status == 64 && refused.stderr.contains("--login-account-failures"), "\(refused.stderr)")

        let server = try ServeProcess(
            world.binary, database + ["--login-account-failures", "2", "--login-lockout", "120"])
        defer { server.stop() }
        func login(_ password: String) throws -> (status: Int, headers: [String: String], body: String) {
            try HTTPGet.exchange(
                port: server.port, method: "POST", path: "/console/login",
                body: "account=viewer1&password=\(password.replacingOccurrences(of: " ", with: "+"))")
        }
        for _ in 0..<2 { #expect(try login("wrong").headers["set-cookie"] == nil) }
        let locked = try login("right password 1")
        #expect(locked.status == 429, "\(locked.status) \(locked.body)")
        #expect(locked.headers["set-cookie"] == nil)
        let retry = try #require(Int(locked.headers["retry-after"] ?? ""), "\(locked.headers)")
        #expect(retry > 60 && retry <= 120, "the lockout is the flag's 120 s, not the default 900 s: \(retry)")
    }

    @Test func serveWithoutTheConsoleAnswersNotFoundUnderConsole() throws {
        let world = try CLIWorld.require()
        let url = try TestPostgres.shared.makeDatabase(prefix: "cli_serve_noconsole")
        #expect(try world.run(["migrate", "--database-url", url]).status == 0)
        let server = try ServeProcess(world.binary, ["--database-url", url, "--no-console"])
        defer { server.stop() }
        #expect(try HTTPGet.exchange(port: server.port, path: "/console/login").status == 404)
        #expect(try HTTPGet.exchange(port: server.port, path: "/healthz").status == 200)
    }
}
