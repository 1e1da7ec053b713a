import Foundation
import Hummingbird
import Logging
import Postgres
import SealCrypto

/// The console's request handlers (one extension per area). Each page or action first establishes the session
/// (``requireSession(_:_:)`` for pages, ``requireAction(_:_:)`` for POSTs, which also checks the CSRF token).
struct ConsoleHandlers: Sendable {
    let console: Console
    let accounts = ConsoleAccounts()
    static let formLimit = 64 * 1024

    var prefix: String { Console.pathPrefix }

    // MARK: - Sessions

    func session(_ request: Request) async throws -> ConsoleSession? {
        guard let token = request.cookies[ConsoleAccounts.cookieName]?.value, !token.isEmpty else { return nil }
        let accounts = self.accounts
        return try await console.database.run { try accounts.session(token: token, on: $0) }
    }

    /// The session of a page request with at least `role`; otherwise a redirect to the login page (or 403).
    func requireSession(_ request: Request, _ role: ConsoleRole = .viewer) async throws -> ConsoleSession {
        guard let session = try await session(request) else { throw ConsoleRefusal.login }
        guard session.role >= role else { throw ConsoleRefusal.role(role) }
        return session
    }

    /// The session and form fields of an action: 401 without a session, 403 without the session's CSRF token or
    /// with a role below `role`.
    func requireAction(_ request: Request, _ role: ConsoleRole) async throws -> (ConsoleSession, [String: String]) {
        guard let session = try await session(request) else { throw ConsoleRefusal.unauthorized }
        let body = try await request.body.collect(upTo: Self.formLimit)
        let fields = FormData.urlEncoded(Array(buffer: body))
        try Self.checkCSRF(fields["csrf"], session: session)
        guard session.role >= role else { throw ConsoleRefusal.role(role) }
        return (session, fields)
    }

    static func checkCSRF(_ given: String?, session: ConsoleSession) throws {
        guard let given, PasswordHash.constantTimeEqual(Array(given.utf8), Array(session.csrfToken.utf8)) else {
            throw ConsoleRefusal.csrf
        }
    }

    /// Records a console action in the registry's event log.
    func record(_ event: String, seal: String? = nil, _ detail: [String: String], by session: ConsoleSession) async throws {
        let accounts = self.accounts
        try await console.database.run {
            try accounts.record(event: event, seal: seal, detail: detail, actor: "console:\(session.account)", on: $0)
        }
    }

    // MARK: - Login

    func loginPage(_ request: Request, failed: Bool = false) async throws -> Response {
        if !failed, try await session(request) != nil { return ConsoleResponse.redirect(to: "\(prefix)/batches") }
        let error: HTML = failed ? "<p class=\"error\" id=\"login-error\">账户或密码错误 Wrong account or password</p>" : ""
        return ConsoleResponse.page(Layout.page("登录 Log in", session: nil, """
            \(error)
            <form method="post" action="\(prefix)/login">
            <p><label>账户 Account<br><input name="account" id="account" autocomplete="username" required></label></p>
            <p><label>密码 Password<br><input name="password" id="password" type="password" autocomplete="current-password" required></label></p>
            <p><button id="login">登录 Log in</button></p>
            </form>
            """), status: failed ? .unauthorized : .ok)
    }

    /// `POST /console/login`. `clientAddress` is the peer's IP address when the server's context knows it
    /// (``ConsoleRequestContext``); failed logins are throttled per account and per address (``LoginThrottle``).
    func login(_ request: Request, clientAddress: String? = nil) async throws -> Response {
        let body = try await request.body.collect(upTo: Self.formLimit)
        let fields = FormData.urlEncoded(Array(buffer: body))
        let name = fields["account"] ?? ""
        let password = fields["password"] ?? ""
        let accounts = self.accounts
        let lifetime = console.configuration.sessionLifetime
        let throttle = LoginThrottle(policy: console.configuration.loginThrottle)
        let outcome: LoginOutcome = try await console.database.run { db in
            // A locked account or address is refused before its password is looked at.
            if let until = try throttle.lockedUntil(account: name, address: clientAddress, on: db) {
                return .locked(until: until)
            }
            guard !name.isEmpty, !password.isEmpty,
                let role = try accounts.authenticate(name: name, password: password, on: db)
            else {
                if !name.isEmpty, name.count <= 64 {
                    try accounts.record(event: "console.login-failed", seal: nil, detail: ["account": name], actor: "console", on: db)
                }
                if let until = try throttle.recordFailure(account: name, address: clientAddress, on: db) {
                    try accounts.record(
                        event: "console.login-locked", seal: nil,
                        detail: ["account": String(name.prefix(64)), "until": ISO8601DateFormatter().string(from: until)],
                        actor: "console", on: db)
                    return .locked(until: until)
                }
                return .failed
            }
            try throttle.recordSuccess(account: name, address: clientAddress, on: db)
            let opened = try accounts.openSession(account: name, role: role, lifetime: lifetime, on: db)
            try accounts.record(event: "console.login", seal: nil, detail: [:], actor: "console:\(name)", on: db)
            return .opened(token: opened.token)
        }
        switch outcome {
        case .failed:
            return try await loginPage(request, failed: true)
        case .locked(let until):
            console.logger.notice("console login refused: too many failed logins", metadata: ["account": .string(name)])
            return Self.tooManyLogins(until: until)
        case .opened(let token):
            console.logger.info("console login", metadata: ["account": .string(name)])
            var response = ConsoleResponse.redirect(to: "\(prefix)/batches")
            response.setCookie(sessionCookie(token, maxAge: Int(lifetime)))
            return response
        }
    }

    enum LoginOutcome: Sendable {
        case failed
        case locked(until: Date)
        case opened(token: String)
    }

    /// 429 with `Retry-After` and the time (UTC) from which a login may be tried again.
    static func tooManyLogins(until: Date, now: Date = Date()) -> Response {
        let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let when = formatter.string(from: until) + " UTC"
        let minutes = (seconds + 59) / 60
        var response = ConsoleResponse.page(Layout.page("登录 Log in", session: nil, """
            <p class="error" id="login-locked">登录失败次数过多，请于 \(when) 后重试。 Too many failed logins for this \
            account or from this address: try again after \(when) (in about \(minutes) minute(s)).</p>
            <p><a href="\(Console.pathPrefix)/login">登录 Log in</a></p>
            """), status: .tooManyRequests)
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    func logout(_ request: Request) async throws -> Response {
        let (session, _) = try await requireAction(request, .viewer)
        if let token = request.cookies[ConsoleAccounts.cookieName]?.value {
            let accounts = self.accounts
            try await console.database.run { try accounts.closeSession(token: token, on: $0) }
        }
        try await record("console.logout", [:], by: session)
        var response = ConsoleResponse.redirect(to: "\(prefix)/login")
        response.setCookie(sessionCookie("", maxAge: 0))
        return response
    }

    func sessionCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: ConsoleAccounts.cookieName, value: value, maxAge: maxAge, path: prefix,
            secure: console.configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }
}
