import Foundation
import Hummingbird
import HummingbirdTesting
import Postgres
import SealConsole
import SealCrypto
import SealPipeline
import SealQueue
import Testing

@Suite struct ConsoleSecurityTests {
    static let pages = [
        "/console/batches", "/console/jobs", "/console/jobs/1", "/console/jobs/1/retry", "/console/jobs/1/cancel",
        "/console/pauses", "/console/pauses/confirm?op=pause&scope=queue&name=default", "/console/seals",
        "/console/seals/x/suspend", "/console/usage", "/console/events", "/console/verify",
    ]
    static let actions = [
        "/console/jobs/1/retry", "/console/jobs/1/cancel", "/console/pauses", "/console/seals/x/suspend",
        "/console/seals/x/resume", "/console/verify", "/console/logout",
    ]

    @Test func nothingIsServedWithoutLogin() async throws {
        let world = try ConsoleWorld.make()
        try await world.application().test(.router) { client in
            let c = ConsoleClient(client: client)
            for page in Self.pages {
                let response = try await c.get(page)
                #expect(response.status == .seeOther, "\(page)")
                #expect(response.headers[.location] == "/console/login", "\(page)")
                #expect(!String(buffer: response.body).contains("<table"), "\(page)")
            }
            for action in Self.actions {
                let response = try await c.post(action, "csrf=x&op=pause&scope=queue&name=default")
                #expect(response.status == .unauthorized, "\(action)")
            }
            // A made-up session token is no session.
            let forged = try await c.get("/console/batches", cookie: "sealpress_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            #expect(forged.status == .seeOther)
            #expect(try await c.get("/console/login").status == .ok)
        }
        world.console.shutdown()
    }

    @Test func loginSetsAStrictHttpOnlyCookieAndAWrongPasswordGetsNone() async throws {
        let world = try ConsoleWorld.make(secureCookies: true)
        try await world.application().test(.router) { client in
            let c = ConsoleClient(client: client)
            let wrong = try await c.post("/console/login", "account=operator1&password=wrong+password+here")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)
            let unknown = try await c.post("/console/login", "account=nobody&password=whatever+it+is")
            #expect(unknown.status == .unauthorized)
            let good = try await c.post(
                "/console/login", "account=operator1&password=\(ConsoleWorld.password.replacingOccurrences(of: " ", with: "+"))")
            #expect(good.status == .seeOther)
            let cookie = good.headers[.setCookie] ?? ""
            #expect(cookie.hasPrefix("sealpress_session="))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Secure"))
            #expect(cookie.contains("Path=/console"))
            #expect(good.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
        }
        // The session table holds the token's hash, not the token.
        let stored = try world.withConnection { try $0.query("SELECT encode(token_sha256, 'hex') FROM sealpress.console_sessions")[0].string(0) }
        #expect(stored.count == 64)
        world.console.shutdown()
    }

    @Test func aViewerReadsButCannotAct() async throws {
        let world = try ConsoleWorld.make()
        try world.registerSeal(name: "bureau", sealName: "公章")
        let jobID = try world.discardedJob(batch: "b1")
        try await world.application().test(.router) { client in
            let c = ConsoleClient(client: client)
            let (cookie, csrf) = try await c.login("viewer1")
            #expect(!csrf.isEmpty)
            #expect(try await c.get("/console/jobs/\(jobID)", cookie: cookie).status == .ok)
            #expect(try await c.get("/console/jobs/\(jobID)/retry", cookie: cookie).status == .forbidden)
            #expect(try await c.post("/console/jobs/\(jobID)/retry", cookie: cookie, "csrf=\(csrf)").status == .forbidden)
            #expect(try await c.post("/console/pauses", cookie: cookie, "csrf=\(csrf)&op=pause&scope=queue&name=default").status == .forbidden)
            #expect(try await c.post("/console/seals/bureau/suspend", cookie: cookie, "csrf=\(csrf)").status == .forbidden)
            // An operator is not a seal administrator.
            let (opCookie, opCSRF) = try await c.login("operator1")
            #expect(try await c.post("/console/seals/bureau/suspend", cookie: opCookie, "csrf=\(opCSRF)").status == .forbidden)
        }
        let state = try world.withConnection { try JobQueue(connection: $0).job(id: jobID)?.state }
        #expect(state == .discarded)
        let seal = try world.withConnection { try SealRegistry().seal(named: "bureau", on: $0)?.state }
        #expect(seal == .active)
        world.console.shutdown()
    }

    @Test func everyActionNeedsTheSessionsCSRFToken() async throws {
        let world = try ConsoleWorld.make()
        try await world.application().test(.router) { client in
            let c = ConsoleClient(client: client)
            let (cookie, csrf) = try await c.login("operator1")
            let (_, otherCSRF) = try await c.login("admin1")
            let body = "op=pause&scope=queue&name=default"
            #expect(try await c.post("/console/pauses", cookie: cookie, body).status == .forbidden)
            #expect(try await c.post("/console/pauses", cookie: cookie, body + "&csrf=").status == .forbidden)
            #expect(try await c.post("/console/pauses", cookie: cookie, body + "&csrf=\(otherCSRF)").status == .forbidden)
            #expect(try await c.post("/console/logout", cookie: cookie, "").status == .forbidden)
            #expect(try world.withConnection { try JobQueue(connection: $0).pauses() }.isEmpty)
            let accepted = try await c.post("/console/pauses", cookie: cookie, body + "&csrf=\(csrf)")
            #expect(accepted.status == .seeOther)
            #expect(try world.withConnection { try JobQueue(connection: $0).pauses() }.map(\.name) == ["default"])
            // Logout ends the session server-side.
            #expect(try await c.post("/console/logout", cookie: cookie, "csrf=\(csrf)").status == .seeOther)
            #expect(try await c.get("/console/batches", cookie: cookie).status == .seeOther)
        }
        let events = try world.withConnection { try SealRegistry().events(on: $0) }
        #expect(events.contains { $0.event == "console.queue.pause" && $0.actor == "console:operator1" })
        #expect(events.contains { $0.event == "console.logout" && $0.actor == "console:operator1" })
        world.console.shutdown()
    }

    @Test func passwordsAreStoredAsSlowSaltedHashes() throws {
        let world = try ConsoleWorld.make()
        let stored = try #require(try world.withConnection { try ConsoleAccounts().storedHash(name: "operator1", on: $0) })
        #expect(!stored.contains(ConsoleWorld.password))
        #expect(!stored.contains(Data(ConsoleWorld.password.utf8).base64EncodedString()))
        #expect(stored.hasPrefix("pbkdf2-sha256$200000$"))
        let hash = try PasswordHash(stored: stored)
        #expect(hash.iterations == 200_000)
        #expect(hash.verify(ConsoleWorld.password))
        #expect(!hash.verify(ConsoleWorld.password + "x"))
        let other = try #require(try world.withConnection { try ConsoleAccounts().storedHash(name: "viewer1", on: $0) })
        #expect(try PasswordHash(stored: other).salt != hash.salt)
        // Short passwords are refused.
        #expect(throws: ConsoleError(.invalidPassword, "")) {
            try world.withConnection { try ConsoleAccounts().add(name: "x", role: .viewer, password: "short", on: $0) }
        }
        world.console.shutdown()
    }

    @Test func valuesFromDocumentsAndTheDatabaseAreShownAsText() async throws {
        let world = try ConsoleWorld.make()
        try world.registerSeal(name: "hostile", sealName: "<script>alert('seal')</script>")
        let jobID = try world.discardedJob(batch: "<img src=x onerror=alert(1)>")
        try await world.application().test(.router) { client in
            let c = ConsoleClient(client: client)
            let (cookie, _) = try await c.login("viewer1")
            let seals = String(buffer: try await c.get("/console/seals", cookie: cookie).body)
            #expect(seals.contains("&lt;script&gt;alert(&#39;seal&#39;)&lt;/script&gt;"))
            #expect(!seals.contains("<script"))
            let batches = String(buffer: try await c.get("/console/batches", cookie: cookie).body)
            #expect(batches.contains("&lt;img src=x onerror=alert(1)&gt;"))
            #expect(!batches.contains("<img"))
            let job = String(buffer: try await c.get("/console/jobs/\(jobID)", cookie: cookie).body)
            #expect(job.contains("&lt;b&gt;boom&lt;/b&gt;"))
            #expect(!job.contains("<b>boom"))
        }
        world.console.shutdown()
    }

    @Test func anOperatorRetriesADiscardedJobAndTheBatchCountsFollow() async throws {
        let world = try ConsoleWorld.make()
        let jobID = try world.discardedJob(batch: "retry-batch")
        try await world.application().test(.router) { client in
            let c = ConsoleClient(client: client)
            let (cookie, csrf) = try await c.login("operator1")
            let confirm = String(buffer: try await c.get("/console/jobs/\(jobID)/retry", cookie: cookie).body)
            #expect(confirm.contains("id=\"confirm\""))
            let response = try await c.post("/console/jobs/\(jobID)/retry", cookie: cookie, "csrf=\(csrf)")
            #expect(response.status == .seeOther)
        }
        let job = try #require(try world.withConnection { try JobQueue(connection: $0).job(id: jobID) })
        #expect(job.state == .available)
        #expect(job.maxAttempts > job.attempt)
        let batch = try world.withConnection { db -> BatchSummary? in
            _ = try db.query("SELECT sealpress.fold_batch_deltas()")
            return try JobQueue(connection: db).batches().first
        }
        #expect(batch?.discarded == 0)
        #expect(batch?.finishedAt == nil)
        let events = try world.withConnection { try SealRegistry().events(on: $0) }
        #expect(events.contains { $0.event == "console.job.retry" && $0.actor == "console:operator1" })
        world.console.shutdown()
    }

    @Test func aSealAdministratorSuspendsASealAndPreflightRefusesIt() async throws {
        let world = try ConsoleWorld.make()
        try world.registerSeal(name: "bureau", sealName: "公章")
        try await world.application().test(.router) { client in
            let c = ConsoleClient(client: client)
            let (cookie, csrf) = try await c.login("admin1")
            #expect(try await c.post("/console/seals/bureau/suspend", cookie: cookie, "csrf=\(csrf)&reason=audit").status == .seeOther)
            let page = String(buffer: try await c.get("/console/seals", cookie: cookie).body)
            #expect(page.contains("suspended"))
        }
        let (seal, grants, _) = try world.withConnection { try SealRegistry().preflightData(seal: "bureau", principal: "p", on: $0) }
        let outcome = Preflight.check(seal: seal, sealName: "bureau", grants: grants, principal: "p", pipeline: "x", at: Date())
        #expect(throws: StampRefusal(.sealSuspended, "")) { try outcome.get() }
        let events = try world.withConnection { try SealRegistry().events(on: $0) }
        #expect(events.contains { $0.event == "suspended" && $0.seal == "bureau" && $0.actor == "console:admin1" })
        world.console.shutdown()
    }
}
