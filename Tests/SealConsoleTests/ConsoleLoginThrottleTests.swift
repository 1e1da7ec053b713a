import Foundation
import Hummingbird
import HummingbirdTesting
import Postgres
import SealConsole
import Testing

/// Failed logins lock an account (5 in 15 minutes) or a client address for a while: 429 with `Retry-After` and the
/// time to try again, kept in the database so every console process of it refuses alike.
@Suite struct ConsoleLoginThrottleTests {
    static let good = "password=\(ConsoleWorld.password.replacingOccurrences(of: " ", with: "+"))"

    static func console(_ world: ConsoleWorld, _ policy: LoginThrottle.Policy) -> Console {
        var configuration = world.console.configuration
        configuration.loginThrottle = policy
        return Console(configuration: configuration)
    }

    static func application(_ console: Console) -> some ApplicationProtocol {
        let router = Router(context: ConsoleRequestContext.self)
        addConsoleRoutes(to: router, console: console)
        return Application(router: router)
    }

    @Test func fiveFailedLoginsLockTheAccountInEveryProcessUntilTheLockEnds() async throws {
        let world = try ConsoleWorld.make()
        try await world.application().test(.router) { client in
            let c = ConsoleClient(client: client)
            for attempt in 1...4 {
                let wrong = try await c.post("/console/login", "account=operator1&password=wrong+\(attempt)")
                #expect(wrong.status == .unauthorized, "attempt \(attempt)")
            }
            let fifth = try await c.post("/console/login", "account=operator1&password=wrong+5")
            #expect(fifth.status == .tooManyRequests)
            let retryAfter = Int(fifth.headers[.retryAfter] ?? "") ?? 0
            #expect(retryAfter > 800 && retryAfter <= 900, "\(fifth.headers)")
            #expect(String(buffer: fifth.body).contains("try again after"))
            // The right password does not help while locked, and sets no cookie.
            let locked = try await c.post("/console/login", "account=operator1&" + Self.good)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.setCookie] == nil)
            // Another account is not locked (no client address in this context: per account only).
            #expect(try await c.post("/console/login", "account=admin1&" + Self.good).status == .seeOther)
        }
        // Another console process of the same database refuses too.
        let other = Self.console(world, LoginThrottle.Policy())
        try await Self.application(other).test(.router) { client in
            let c = ConsoleClient(client: client)
            let refused = try await c.post("/console/login", "account=operator1&" + Self.good)
            #expect(refused.status == .tooManyRequests)
        }
        #expect(try world.withConnection {
            try $0.query("SELECT count(*)::int8 FROM sealpress.registry_events WHERE event = 'console.login-locked'")[0].int(0)
        } == 1)
        // Once the lock has ended, the right password logs in and clears the account's row.
        try world.withConnection {
            try $0.execute("UPDATE sealpress.console_login_throttle SET locked_until = now() - interval '1 second'")
        }
        try await world.application().test(.router) { client in
            let c = ConsoleClient(client: client)
            let opened = try await c.post("/console/login", "account=operator1&" + Self.good)
            #expect(opened.status == .seeOther)
        }
        #expect(try world.withConnection {
            try $0.query("SELECT count(*)::int8 FROM sealpress.console_login_throttle WHERE key = 'account:operator1'")[0].int(0)
        } == 0)
        other.shutdown()
        world.console.shutdown()
    }

    @Test func aSuccessfulLoginResetsTheCount() async throws {
        let world = try ConsoleWorld.make()
        try await world.application().test(.router) { client in
            let c = ConsoleClient(client: client)
            for round in 1...2 {
                for attempt in 1...4 {
                    let wrong = try await c.post("/console/login", "account=viewer1&password=wrong+\(attempt)")
                    #expect(wrong.status == .unauthorized, "round \(round), attempt \(attempt)")
                }
                #expect(try await c.post("/console/login", "account=viewer1&" + Self.good).status == .seeOther)
            }
        }
        world.console.shutdown()
    }

    @Test func failuresFromOneAddressLockThatAddressWhateverTheAccount() async throws {
        let world = try ConsoleWorld.make()
        let console = Self.console(world, LoginThrottle.Policy(maxAccountFailures: 5, maxAddressFailures: 3))
        // A live server: the context knows the peer's address (127.0.0.1).
        try await Self.application(console).test(.live) { client in
            let c = ConsoleClient(client: client)
            for name in ["nobody1", "nobody2"] {
                #expect(try await c.post("/console/login", "account=\(name)&password=guess").status == .unauthorized)
            }
            let third = try await c.post("/console/login", "account=nobody3&password=guess")
            #expect(third.status == .tooManyRequests)
            // From this address even a right password for an untouched account is refused.
            #expect(try await c.post("/console/login", "account=admin1&" + Self.good).status == .tooManyRequests)
        }
        let keys = try world.withConnection {
            try $0.query("SELECT key FROM sealpress.console_login_throttle WHERE locked_until > now()").map { try $0.string(0) }
        }
        #expect(keys.contains { $0.hasPrefix("address:") && $0.contains("127.0.0.1") }, "\(keys)")
        console.shutdown()
        world.console.shutdown()
    }
}
