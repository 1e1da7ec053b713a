public import Hummingbird

/// Mounts the operator console under `/console` on `router`.
///
/// Generic over the router's context, so `sealpress serve` mounts it with whatever context it uses:
///
/// ```swift
/// addConsoleRoutes(to: router, console: Console(configuration: .init(databaseURL: url, secureCookies: tls)))
/// ```
///
/// Every page needs a logged-in session (a random token in an HttpOnly, SameSite=Strict cookie, `Secure` with
/// TLS); without one a page redirects to the login page and an action gets 401. Every POST must carry the
/// session's CSRF token (403 otherwise), and an action needs the role it names (403 otherwise). Each action is
/// recorded in `sealpress.registry_events` with the account as actor.
public func addConsoleRoutes<Context: RequestContext>(to router: Router<Context>, console: Console) {
    let h = ConsoleHandlers(console: console)
    let group = router.group("console")
    group.get { _, _ in ConsoleResponse.redirect(to: "\(Console.pathPrefix)/batches") }
    group.get("login") { request, _ in try await h.loginPage(request) }
    group.post("login") { request, context in
        try await h.login(request, clientAddress: (context as? any ConsoleClientAddressContext)?.clientAddress)
    }
    group.post("logout") { request, _ in try await h.logout(request) }
    group.get("batches") { request, _ in try await h.batches(request) }
    group.get("jobs") { request, _ in try await h.jobs(request) }
    group.get("jobs/:id") { request, context in try await h.job(request, id: context.parameters.get("id") ?? "") }
    group.get("jobs/:id/:action") { request, context in
        try await h.confirmJobAction(
            request, id: context.parameters.get("id") ?? "", action: context.parameters.get("action") ?? "")
    }
    group.post("jobs/:id/:action") { request, context in
        try await h.jobAction(
            request, id: context.parameters.get("id") ?? "", action: context.parameters.get("action") ?? "")
    }
    group.get("pauses") { request, _ in try await h.pauses(request) }
    group.get("pauses/confirm") { request, _ in try await h.confirmPause(request) }
    group.post("pauses") { request, _ in try await h.pauseAction(request) }
    group.get("seals") { request, _ in try await h.seals(request) }
    group.get("seals/:name/:action") { request, context in
        try await h.confirmSealAction(
            request, name: context.parameters.get("name") ?? "", action: context.parameters.get("action") ?? "")
    }
    group.post("seals/:name/:action") { request, context in
        try await h.sealAction(
            request, name: context.parameters.get("name") ?? "", action: context.parameters.get("action") ?? "")
    }
    group.get("usage") { request, _ in try await h.usage(request) }
    group.get("events") { request, _ in try await h.events(request) }
    group.get("verify") { request, _ in try await h.verifyPage(request) }
    group.post("verify") { request, _ in try await h.verifyUpload(request) }
}
