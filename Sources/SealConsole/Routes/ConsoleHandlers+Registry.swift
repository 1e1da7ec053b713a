import Foundation
import Hummingbird
import SealPipeline

extension ConsoleHandlers {
    // MARK: - Seals

    func seals(_ request: Request, notice: String? = nil) async throws -> Response {
        let session = try await requireSession(request)
        struct Listing: Sendable {
            var seals: [SealRecord]
            var names: [String: String]
            var grants: [Grant]
            var uses: [String: [UsageRecord]]
        }
        let listing = try await console.database.run { db in
            let registry = SealRegistry()
            let seals = try registry.list(on: db)
            var uses: [String: [UsageRecord]] = [:]
            for seal in seals { uses[seal.name] = try UsageLog().recent(seal: seal.name, limit: 5, on: db) }
            return Listing(seals: seals, names: try registry.sealNames(on: db), grants: try registry.grants(on: db), uses: uses)
        }
        let now = Date()
        let rows: [HTML] = listing.seals.map { seal in
            let shownState = seal.state == .active && seal.validTo < now ? "expired" : seal.state.rawValue
            let grants: [HTML] = listing.grants.filter { $0.seal == seal.name }.map { g in
                let status = g.revokedAt != nil ? "revoked" : (g.validTo < now ? "expired" : "active")
                let pipelines = g.pipelines.isEmpty ? "*" : g.pipelines.joined(separator: ", ")
                return "<li>\(g.principal) · \(pipelines) · \(g.validFrom) – \(g.validTo) \(Layout.badge(status))</li>"
            }
            let uses: [HTML] = (listing.uses[seal.name] ?? []).reversed().map { u in
                "<li>#\(u.sequence) \(u.signedAt) · \(u.principal) · \(u.format) · job \(u.jobID.map(String.init))</li>"
            }
            var actions: HTML = ""
            if session.role >= .sealAdministrator {
                if seal.state == .active {
                    actions = "<a class=\"suspend\" href=\"\(prefix)/seals/\(HTML.query(seal.name))/suspend\">停用 Suspend</a>"
                } else if seal.state == .suspended {
                    actions = "<a class=\"resume\" href=\"\(prefix)/seals/\(HTML.query(seal.name))/resume\">启用 Resume</a>"
                }
            }
            return """
                <tr class="seal" data-name="\(seal.name)">
                <td>\(seal.name)</td><td class="seal-name">\(listing.names[seal.name])</td><td>\(seal.esID)</td>
                <td>\(seal.ownerOrganisation)<br>\(seal.ownerCreditCode)</td><td>\(seal.sealType)</td>
                <td class="state">\(Layout.badge(shownState))</td><td>\(seal.validFrom)<br>– \(seal.validTo)</td>
                <td><ul>\(grants)</ul></td><td><ul>\(uses)</ul></td><td>\(actions)</td>
                </tr>
                """
        }
        return ConsoleResponse.page(Layout.page("印章 Seal registry", session: session, notice: notice, """
            <table id="seals">
            <tr><th>登记名 Registry name</th><th>印章名称 Seal name</th><th>esID</th><th>单位 Owner</th><th>类型 Type</th>
            <th>状态 State</th><th>有效期 Validity</th><th>授权 Grants</th><th>最近用印 Recent uses</th><th></th></tr>
            \(rows)
            </table>
            """))
    }

    func confirmSealAction(_ request: Request, name: String, action: String) async throws -> Response {
        let session = try await requireSession(request, .sealAdministrator)
        guard action == "suspend" || action == "resume" else { return notFound(session, action) }
        let question = action == "suspend"
            ? "停用印章 \(name)？Suspend the seal \(name)? Jobs that use it are refused until it is resumed."
            : "启用印章 \(name)？Resume the seal \(name)?"
        return ConsoleResponse.page(Layout.confirm(
            action == "suspend" ? "停用 Suspend" : "启用 Resume", session: session, question: question,
            action: "\(prefix)/seals/\(HTML.query(name))/\(action)", fields: [("reason", "console")],
            back: "\(prefix)/seals"))
    }

    func sealAction(_ request: Request, name: String, action: String) async throws -> Response {
        let (session, fields) = try await requireAction(request, .sealAdministrator)
        guard action == "suspend" || action == "resume" else { return notFound(session, action) }
        let actor = "console:\(session.account)"
        let reason = fields["reason"].map { String($0.prefix(200)) }
        do {
            try await console.database.run { db in
                try SealRegistry().setState(
                    action == "suspend" ? .suspended : .active, of: name, reason: reason, actor: actor, on: db)
            }
        } catch let error as RegistryError {
            return try await seals(request, notice: error.reason)
        }
        return ConsoleResponse.redirect(to: "\(prefix)/seals")
    }

    // MARK: - Usage log and events

    func usage(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let (rows, outcome) = try await console.database.run { db in
            let log = UsageLog()
            return (try log.recent(limit: 200, on: db), try log.verify(with: .sha256, on: db))
        }
        let status: HTML = outcome.isIntact
            ? "<p id=\"chain\">\(Layout.badge("intact")) 链完整 Chain intact: \(outcome.checkedRows) rows verified.</p>"
            : "<p id=\"chain\" class=\"error\">\(Layout.badge("broken")) 链已损坏 Chain broken at row \(outcome.firstBadSequence.map(String.init)): \(outcome.reason)</p>"
        let lines: [HTML] = rows.reversed().map { u in
            """
            <tr><td>\(u.sequence)</td><td>\(u.signedAt)</td><td>\(u.seal)</td><td>\(u.principal)</td><td>\(u.format)</td>
            <td>\(u.jobID.map(String.init))</td><td><code>\(String(u.documentAfter.prefix(16)))…</code></td>
            <td><code>\(String(u.rowHash.prefix(16)))…</code></td><td>\(u.host)</td></tr>
            """
        }
        return ConsoleResponse.page(Layout.page("用印日志 Usage log", session: session, """
            \(status)
            <table id="usage"><tr><th>序号 Seq</th><th>时间 Signed at</th><th>印章 Seal</th><th>主体 Principal</th>
            <th>格式 Format</th><th>任务 Job</th><th>签后文档 Document after</th><th>行哈希 Row hash</th><th>主机 Host</th></tr>
            \(lines)</table>
            """))
    }

    func events(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let events = try await console.database.run { try SealRegistry().events(on: $0) }
        let rows: [HTML] = events.map { e in
            "<tr class=\"event\"><td>\(e.id)</td><td>\(e.at)</td><td>\(e.actor)</td><td>\(e.event)</td><td>\(e.seal)</td><td><code>\(e.detailJSON)</code></td></tr>"
        }
        return ConsoleResponse.page(Layout.page("事件 Registry events", session: session, """
            <table id="events"><tr><th>ID</th><th>时间 At</th><th>操作人 Actor</th><th>事件 Event</th><th>印章 Seal</th><th>详情 Detail</th></tr>
            \(rows)</table>
            """))
    }
}
