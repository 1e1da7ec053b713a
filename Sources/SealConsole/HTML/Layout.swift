/// The frame of every console page: navigation, the account, the logout form, and the styles (no script).
enum Layout {
    static func page(_ title: String, session: ConsoleSession?, notice: String? = nil, refreshSeconds: Int? = nil,
                     _ body: HTML) -> HTML
    {
        let p = Console.pathPrefix
        let nav: HTML = session.map { s in
            """
            <nav>
            <a href="\(p)/batches">批次 Batches</a>
            <a href="\(p)/jobs">任务 Jobs</a>
            <a href="\(p)/pauses">暂停 Pauses</a>
            <a href="\(p)/seals">印章 Seals</a>
            <a href="\(p)/usage">用印日志 Usage log</a>
            <a href="\(p)/verify">验证 Verify</a>
            <a href="\(p)/events">事件 Events</a>
            <span class="who">\(s.account) · \(s.role.label)</span>
            <form method="post" action="\(p)/logout" class="inline">\(csrfField(s))<button>退出 Log out</button></form>
            </nav>
            """
        } ?? ""
        let refresh: HTML = refreshSeconds.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? ""
        let noticeHTML: HTML = notice.map { "<p class=\"notice\" id=\"notice\">\($0)</p>" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(refresh)
            <title>\(title) — SealPress 控制台 Console</title>
            <style>\(HTML(trustedMarkup: css))</style>
            </head>
            <body>
            <header><strong>SealPress 控制台 Operator console</strong></header>
            \(nav)
            <main>
            <h1>\(title)</h1>
            \(noticeHTML)
            \(body)
            </main>
            </body>
            </html>
            """
    }

    static func csrfField(_ session: ConsoleSession) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(session.csrfToken)\">"
    }

    /// The confirmation step of an action: what will happen, and one button that POSTs it with the CSRF token.
    static func confirm(_ title: String, session: ConsoleSession, question: String, action: String,
                        fields: [(String, String)] = [], back: String) -> HTML
    {
        let hidden: [HTML] = fields.map { "<input type=\"hidden\" name=\"\($0.0)\" value=\"\($0.1)\">" }
        return page(title, session: session, """
            <p class="confirm">\(question)</p>
            <form method="post" action="\(action)">\(csrfField(session))\(hidden)
            <button id="confirm" class="danger">确认 Confirm</button> <a href="\(back)">取消 Back</a>
            </form>
            """)
    }

    /// A state shown as a coloured badge.
    static func badge(_ text: String) -> HTML {
        "<span class=\"badge \(text)\">\(text)</span>"
    }

    static let css = """
        body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:0;color:#222;background:#fafafa}
        header{background:#8b0000;color:#fff;padding:.6em 1em}
        nav{background:#eee;padding:.4em 1em;display:flex;gap:1em;align-items:center;flex-wrap:wrap}
        nav .who{margin-left:auto;color:#555}
        main{padding:1em 1.5em}
        table{border-collapse:collapse;margin:.5em 0}
        th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
        th{background:#f0f0f0}
        .bar{width:220px;height:14px;background:#ddd;display:inline-block;vertical-align:middle}
        .bar span{display:block;height:100%;background:#2e7d32}
        .badge{padding:0 .4em;border-radius:3px;background:#ddd}
        .badge.completed,.badge.active,.badge.passed,.badge.intact{background:#c8e6c9}
        .badge.discarded,.badge.failed,.badge.cancelled,.badge.broken{background:#ffcdd2}
        .badge.suspended,.badge.retryable,.badge.indeterminate,.badge.expired{background:#ffe0b2}
        .notice{background:#e3f2fd;padding:.5em}
        .error{background:#ffebee;padding:.5em}
        form.inline{display:inline}
        button.danger{background:#b71c1c;color:#fff;border:0;padding:.4em 1em}
        pre{white-space:pre-wrap;background:#f5f5f5;padding:.5em}
        """
}
