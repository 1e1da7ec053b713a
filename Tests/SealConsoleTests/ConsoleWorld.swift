import Foundation
import Hummingbird
import HummingbirdTesting
import Postgres
import SealConsole
import SealPipeline
import SealQueue
import SealTestSupport

/// A migrated throwaway database with one account per role, and a console over it.
struct ConsoleWorld: Sendable {
    static let password = "correct horse battery staple"
    static let iterations = 200_000

    let url: String
    let console: Console

    static func make(secureCookies: Bool = false) throws -> ConsoleWorld {
        let url = try TestPostgres.shared.makeDatabase(prefix: "console")
        let connection = try PGConnection(url)
        defer { connection.close() }
        try Migrator.migrate(connection, migrations: PipelineSchema.allMigrations)
        let accounts = ConsoleAccounts()
        for (name, role) in [("viewer1", ConsoleRole.viewer), ("operator1", .operator), ("admin1", .sealAdministrator)] {
            try accounts.add(name: name, role: role, password: password, iterations: iterations, on: connection)
        }
        return ConsoleWorld(
            url: url,
            console: Console(configuration: .init(
                databaseURL: url, secureCookies: secureCookies, passwordIterations: iterations)))
    }

    func application() -> some ApplicationProtocol {
        let router = Router()
        addConsoleRoutes(to: router, console: console)
        return Application(router: router)
    }

    func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let connection = try PGConnection(url)
        defer { connection.close() }
        return try body(connection)
    }

    /// Registers a seal (the `.esl` bytes are a placeholder: the console only lists it).
    func registerSeal(name: String, sealName: String) throws {
        try withConnection { db in
            let record = SealRecord(
                name: name, esID: "ES-\(name)", ownerOrganisation: "某某市人民政府", ownerCreditCode: nil, sealType: "法定名称章",
                validFrom: Date().addingTimeInterval(-86400), validTo: Date().addingTimeInterval(86400 * 365),
                state: .active, keyReference: KeyReference(kind: .pkcs12, path: "/nonexistent/seal.p12"))
            try SealRegistry().register(
                .init(record: record, sealName: sealName, esl: [0x30, 0x00], eslSHA256: [UInt8](repeating: 7, count: 32)),
                on: db)
        }
    }

    /// Enqueues a noop job in `batch` and discards it as a worker would after its last attempt.
    func discardedJob(batch: String) throws -> Int64 {
        try withConnection { db in
            let id = try JobQueue(connection: db).enqueue(NewJob(kind: "noop", argsJSON: "{}", batchLabel: batch)).id
            try db.query("""
                UPDATE sealpress.jobs SET state = 'discarded', attempt = max_attempts, finalized_at = now(),
                       last_error_code = 'handlerFailed',
                       errors = '[{"attempt": 1, "at": "2026-12-01T10:00:00Z", "code": "handlerFailed", "error": "<b>boom</b>"}]'
                 WHERE id = $1
                """, [.int64(id)])
            _ = try db.query("SELECT sealpress.fold_batch_deltas()")
            return id
        }
    }
}

/// Session plumbing for in-process requests.
struct ConsoleClient {
    let client: any TestClientProtocol

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// Logs in and returns the cookie header value and the session's CSRF token.
    func login(_ account: String, password: String = ConsoleWorld.password) async throws -> (cookie: String, csrf: String) {
        let response = try await client.execute(
            uri: "/console/login", method: .post, headers: Self.form,
            body: ByteBuffer(string: "account=\(account)&password=\(password.replacingOccurrences(of: " ", with: "+"))"))
        let setCookie = response.headers[.setCookie] ?? ""
        let cookie = String(setCookie.split(separator: ";").first ?? "")
        let page = try await client.execute(uri: "/console/batches", method: .get, headers: [.cookie: cookie])
        return (cookie, Self.csrf(in: String(buffer: page.body)) ?? "")
    }

    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    func get(_ uri: String, cookie: String? = nil) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: cookie.map { [.cookie: $0] } ?? [:])
    }

    func post(_ uri: String, cookie: String? = nil, _ body: String) async throws -> TestResponse {
        var headers = Self.form
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}
