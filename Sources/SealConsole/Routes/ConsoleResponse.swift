import Hummingbird

/// Responses of the console: HTML pages with strict security headers, redirects, refusals.
enum ConsoleResponse {
    /// No script may run, nothing loads from elsewhere, no framing, forms post only here.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func headers(contentType: String = "text/html; charset=utf-8") -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.contentSecurityPolicy] = contentSecurityPolicy
        fields[.xContentTypeOptions] = "nosniff"
        fields[.cacheControl] = "no-store"
        fields[.init("Referrer-Policy")!] = "no-referrer"
        fields[.init("X-Frame-Options")!] = "DENY"
        return fields
    }

    static func page(_ html: HTML, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: headers(), body: .init(byteBuffer: ByteBuffer(string: html.text)))
    }

    static func redirect(to location: String) -> Response {
        var fields = headers()
        fields[.location] = location
        return Response(status: .seeOther, headers: fields, body: .init())
    }
}

/// Why a request is refused: not logged in (a page redirects to the login page, an action gets 401), a wrong or
/// missing CSRF token, or a role too low (403).
struct ConsoleRefusal: HTTPResponseError {
    var status: HTTPResponse.Status
    var location: String?
    var message: String

    static let login = ConsoleRefusal(status: .seeOther, location: "\(Console.pathPrefix)/login", message: "请登录 Please log in")
    static let unauthorized = ConsoleRefusal(status: .unauthorized, message: "请登录 Please log in")
    static let csrf = ConsoleRefusal(
        status: .forbidden, message: "表单已过期 The form is stale or forged (CSRF token missing or wrong): reload the page and try again")
    static func role(_ needed: ConsoleRole) -> ConsoleRefusal {
        ConsoleRefusal(status: .forbidden, message: "权限不足 This needs the role \(needed.label)")
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = ConsoleResponse.headers()
        if let location { fields[.location] = location }
        let html: HTML = Layout.page(
            "\(status.code) \(status.reasonPhrase)", session: nil,
            "<p class=\"error\" id=\"refusal\">\(message)</p><p><a href=\"\(Console.pathPrefix)/login\">登录 Log in</a></p>")
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html.text)))
    }
}
