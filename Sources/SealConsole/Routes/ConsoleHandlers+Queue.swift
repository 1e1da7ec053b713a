import Foundation
import Hummingbird
import SealQueue

extension ConsoleHandlers {
    // MARK: - Batches

    func batches(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let batches = try await console.database.run { try JobQueue(connection: $0).batches() }
        let rows: [HTML] = batches.map { b in
            let done = b.completed + b.discarded + b.cancelled
            let percent = b.total > 0 ? done * 100 / b.total : 0
            let states: [HTML] = JobState.allCases.compactMap { state in
                guard let n = b.counts[state], n > 0 else { return nil }
                return "<a href=\"\(prefix)/jobs?batch=\(HTML.query(b.label))&amp;state=\(state.rawValue)\">\(Layout.badge(state.rawValue)) \(n)</a> "
            }
            return """
                <tr class="batch" data-label="\(b.label)">
                <td><a href="\(prefix)/jobs?batch=\(HTML.query(b.label))">\(b.label)</a></td>
                <td><span class="bar"><span style="width:\(percent)%"></span></span> <span class="progress">\(done)/\(b.total)</span> (\(percent)%)</td>
                <td class="completed">\(b.completed)</td><td class="discarded">\(b.discarded)</td><td class="cancelled">\(b.cancelled)</td>
                <td>\(states)</td><td>\(b.createdAt)</td><td>\(b.finishedAt)</td>
                </tr>
                """
        }
        return ConsoleResponse.page(Layout.page("批次 Batches", session: session, refreshSeconds: 10, """
            <table id="batches">
            <tr><th>批次 Batch</th><th>进度 Progress</th><th>完成 Completed</th><th>丢弃 Discarded</th><th>取消 Cancelled</th>
            <th>按状态 By state</th><th>创建 Created</th><th>结束 Finished</th></tr>
            \(rows)
            </table>
            \(batches.isEmpty ? "<p>暂无批次 No batches yet.</p>" : "")
            """))
    }

    // MARK: - Jobs

    func jobs(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let query = request.uri.queryParameters
        func value(_ key: String) -> String? {
            guard let v = query[key[...]], !v.isEmpty else { return nil }
            return String(v)
        }
        let filter = JobFilter(
            batchLabel: value("batch"), state: value("state").flatMap(JobState.init(rawValue:)),
            errorCode: value("code"), queue: value("queue"))
        let (jobs, menus) = try await console.database.run { db in
            let queue = JobQueue(connection: db)
            return (try queue.jobs(matching: filter), try queue.filterValues())
        }
        func options(_ values: [String], selected: String?) -> [HTML] {
            [HTML("<option value=\"\">全部 All</option>")] + values.map { v in
                "<option value=\"\(v)\"\(v == selected ? " selected" : "")>\(v)</option>"
            }
        }
        let rows: [HTML] = jobs.map { j in
            """
            <tr class="job" data-id="\(j.id)"><td><a href="\(prefix)/jobs/\(j.id)">\(j.id)</a></td><td>\(j.kind)</td>
            <td>\(j.queue)</td><td>\(Layout.badge(j.state.rawValue))</td><td>\(j.attempt)/\(j.maxAttempts)</td>
            <td>\(j.lastErrorCode)</td><td>\(j.lastError)</td><td>\(j.batchLabel)</td><td>\(j.documentName)</td>
            <td>\(j.nextRunAt)</td></tr>
            """
        }
        return ConsoleResponse.page(Layout.page("任务 Jobs", session: session, """
            <form method="get" action="\(prefix)/jobs">
            批次 Batch <input name="batch" value="\(filter.batchLabel ?? "")">
            状态 State <select name="state">\(options(JobState.allCases.map(\.rawValue), selected: filter.state?.rawValue))</select>
            失败代码 Failure code <select name="code">\(options(menus.codes, selected: filter.errorCode))</select>
            队列 Queue <select name="queue">\(options(menus.queues, selected: filter.queue))</select>
            <button>筛选 Filter</button>
            </form>
            <table id="jobs">
            <tr><th>ID</th><th>类型 Kind</th><th>队列 Queue</th><th>状态 State</th><th>尝试 Attempt</th>
            <th>失败代码 Code</th><th>最近错误 Last error</th><th>批次 Batch</th><th>文档 Document</th><th>下次运行 Next run</th></tr>
            \(rows)
            </table>
            <p>\(jobs.count) 条 jobs shown (newest first, at most 200).</p>
            """))
    }

    func job(_ request: Request, id: String, notice: String? = nil) async throws -> Response {
        let session = try await requireSession(request)
        let notice = notice ?? request.uri.queryParameters["done"].flatMap { done -> String? in
            switch done {
            case "retried": "已重新排队 The job is queued again."
            case "cancelled": "已取消 The job is cancelled."
            case "unchanged": "未改变 Nothing changed: the job was not in a state this action applies to."
            default: nil
            }
        }
        guard let jobID = Int64(id) else { return notFound(session, "任务 Job \(id)") }
        guard let job = try await console.database.run({ try JobQueue(connection: $0).job(id: jobID) }) else {
            return notFound(session, "任务 Job \(id)")
        }
        let history = Self.errorHistory(job.errorsJSON)
        let historyRows: [HTML] = history.map { e in
            "<tr class=\"error-entry\"><td>\(e["attempt"])</td><td>\(e["at"])</td><td>\(e["code"])</td><td>\(e["error"])</td><td>\(e["worker"])</td></tr>"
        }
        var actions: [HTML] = []
        if session.role >= .operator {
            if job.state == .discarded {
                actions.append("<a id=\"retry\" href=\"\(prefix)/jobs/\(job.id)/retry\">重试 Retry</a> ")
            }
            if job.state.isLive {
                actions.append("<a id=\"cancel\" href=\"\(prefix)/jobs/\(job.id)/cancel\">取消 Cancel</a> ")
            }
        }
        let nextRun: Date? = (job.state == .retryable || job.state == .scheduled) ? job.scheduledAt : nil
        return ConsoleResponse.page(Layout.page("任务 Job \(job.id)", session: session, notice: notice, """
            <table id="job">
            <tr><th>状态 State</th><td id="state">\(Layout.badge(job.state.rawValue))</td></tr>
            <tr><th>类型 Kind</th><td>\(job.kind)</td></tr>
            <tr><th>队列 Queue</th><td>\(job.queue)</td></tr>
            <tr><th>尝试 Attempt</th><td>\(job.attempt)/\(job.maxAttempts)</td></tr>
            <tr><th>失败代码 Last failure code</th><td id="last-code">\(job.lastErrorCode?.rawValue)</td></tr>
            <tr><th>下次重试 Next retry</th><td id="next-retry">\(nextRun)</td></tr>
            <tr><th>创建 Created</th><td>\(job.createdAt)</td></tr>
            <tr><th>结束 Finalized</th><td>\(job.finalizedAt)</td></tr>
            <tr><th>参数 Arguments</th><td><pre>\(job.argsJSON)</pre></td></tr>
            </table>
            <p class="actions">\(actions)</p>
            <h2>错误历史 Error history</h2>
            <table id="errors"><tr><th>尝试 Attempt</th><th>时间 At</th><th>代码 Code</th><th>原因 Reason</th><th>Worker</th></tr>
            \(historyRows)</table>
            """))
    }

    /// The `errors` array as rows of strings (attempt, at, code, error, worker).
    static func errorHistory(_ json: String) -> [[String: String]] {
        guard let array = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [[String: Any]] else { return [] }
        return array.map { entry in
            var row: [String: String] = [:]
            for (key, value) in entry { row[key] = "\(value)" }
            return row
        }
    }

    func confirmJobAction(_ request: Request, id: String, action: String) async throws -> Response {
        let session = try await requireSession(request, .operator)
        guard let jobID = Int64(id), action == "retry" || action == "cancel" else { return notFound(session, action) }
        let question = action == "retry"
            ? "重试任务 \(jobID)？Run discarded job \(jobID) again (one more attempt)?"
            : "取消任务 \(jobID)？Cancel job \(jobID)? A running job is stopped and its result rejected."
        return ConsoleResponse.page(Layout.confirm(
            action == "retry" ? "重试 Retry" : "取消 Cancel", session: session, question: question,
            action: "\(prefix)/jobs/\(jobID)/\(action)", back: "\(prefix)/jobs/\(jobID)"))
    }

    func jobAction(_ request: Request, id: String, action: String) async throws -> Response {
        let (session, _) = try await requireAction(request, .operator)
        guard let jobID = Int64(id), action == "retry" || action == "cancel" else { return notFound(session, action) }
        let before: JobState?
        do {
            before = try await console.database.run { db in
                let queue = JobQueue(connection: db)
                return action == "retry" ? try queue.retry(jobID: jobID) : try queue.cancel(jobID: jobID)
            }
        } catch let error as QueueError {
            return try await job(request, id: id, notice: error.reason)
        }
        try await record("console.job.\(action)", ["job": String(jobID), "from": before?.rawValue ?? "none"], by: session)
        let done = switch (action, before) {
        case ("retry", .discarded?): "retried"
        case ("cancel", let state?) where state.isLive: "cancelled"
        default: "unchanged"
        }
        return ConsoleResponse.redirect(to: "\(prefix)/jobs/\(jobID)?done=\(done)")
    }

    // MARK: - Pauses

    func pauses(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let (pauses, menus) = try await console.database.run { db in
            let queue = JobQueue(connection: db)
            return (try queue.pauses(), try queue.filterValues())
        }
        let canAct = session.role >= .operator
        let pausedRows: [HTML] = pauses.map { p in
            let resume: HTML = canAct
                ? "<a class=\"resume\" href=\"\(prefix)/pauses/confirm?op=resume&amp;scope=\(p.scope.rawValue)&amp;name=\(HTML.query(p.name))\">恢复 Resume</a>"
                : ""
            return "<tr class=\"pause\"><td>\(p.scope.rawValue)</td><td>\(p.name)</td><td>\(p.pausedBy)</td><td>\(p.pausedAt)</td><td>\(resume)</td></tr>"
        }
        let pausedQueues = Set(pauses.filter { $0.scope == .queue }.map(\.name))
        let queueRows: [HTML] = menus.queues.filter { !pausedQueues.contains($0) }.map { q in
            let link: HTML = canAct
                ? "<a class=\"pause-queue\" href=\"\(prefix)/pauses/confirm?op=pause&amp;scope=queue&amp;name=\(HTML.query(q))\">暂停 Pause</a>"
                : ""
            return "<tr><td>\(q)</td><td>\(link)</td></tr>"
        }
        let pipelineForm: HTML = canAct ? """
            <form method="get" action="\(prefix)/pauses/confirm"><input type="hidden" name="op" value="pause">
            <input type="hidden" name="scope" value="pipeline">流水线 Pipeline <input name="name" required>
            <button>暂停 Pause pipeline</button></form>
            """ : ""
        return ConsoleResponse.page(Layout.page("暂停 Paused queues and pipelines", session: session, """
            <table id="pauses"><tr><th>范围 Scope</th><th>名称 Name</th><th>操作人 By</th><th>时间 At</th><th></th></tr>\(pausedRows)</table>
            <h2>队列 Queues</h2>
            <table id="queues"><tr><th>队列 Queue</th><th></th></tr>\(queueRows)</table>
            \(pipelineForm)
            """))
    }

    func confirmPause(_ request: Request) async throws -> Response {
        let session = try await requireSession(request, .operator)
        let q = request.uri.queryParameters
        let op = q["op"].map(String.init) ?? ""
        let name = q["name"].map(String.init) ?? ""
        guard op == "pause" || op == "resume", let scope = q["scope"].flatMap({ QueuePause.Scope(rawValue: String($0)) }),
            !name.isEmpty
        else { return notFound(session, "pause") }
        let what = scope == .queue ? "队列 queue" : "流水线 pipeline"
        let question = op == "pause"
            ? "暂停\(what) \(name)？Pause the \(scope.rawValue) \(name)? Workers stop taking its jobs; running jobs finish."
            : "恢复\(what) \(name)？Resume the \(scope.rawValue) \(name)?"
        return ConsoleResponse.page(Layout.confirm(
            op == "pause" ? "暂停 Pause" : "恢复 Resume", session: session, question: question,
            action: "\(prefix)/pauses", fields: [("op", op), ("scope", scope.rawValue), ("name", name)],
            back: "\(prefix)/pauses"))
    }

    func pauseAction(_ request: Request) async throws -> Response {
        let (session, fields) = try await requireAction(request, .operator)
        let op = fields["op"] ?? ""
        let name = fields["name"] ?? ""
        guard op == "pause" || op == "resume", let scope = fields["scope"].flatMap(QueuePause.Scope.init(rawValue:)),
            !name.isEmpty
        else { return notFound(session, "pause") }
        let actor = "console:\(session.account)"
        _ = try await console.database.run { db in
            let queue = JobQueue(connection: db)
            return op == "pause" ? try queue.pause(scope, name: name, by: actor) : try queue.resume(scope, name: name)
        }
        try await record("console.\(scope.rawValue).\(op)", [scope.rawValue: name], by: session)
        return ConsoleResponse.redirect(to: "\(prefix)/pauses")
    }

    func notFound(_ session: ConsoleSession, _ what: String) -> Response {
        ConsoleResponse.page(
            Layout.page("未找到 Not found", session: session, "<p class=\"error\">\(what): 未找到 not found</p>"),
            status: .notFound)
    }
}
