import Foundation
import Postgres
import SealCrypto
import SealPipeline
import SealQueue
import SealReport
import SealTestSupport
import Testing

/// The whole pipeline with real worker PROCESSES on a real PostgreSQL: mixed PDF/OFD stamp jobs through several
/// pipelines, verify jobs, refusals, a worker SIGKILLed midway, a CLI batch, export, and the audit chain.
@Suite(.serialized) struct PipelineEndToEndTests {
    /// Stamp jobs in the big batch (raise with SEALPRESS_E2E_DOCS).
    static let documentCount = Int(ProcessInfo.processInfo.environment["SEALPRESS_E2E_DOCS"] ?? "") ?? 200

    struct Planned {
        var pipeline: String
        var principal: String
        var document: [UInt8]
        var format: DocumentFormat
        var pages: Int
        /// Signatures the pipeline makes on this document; 0 for a refusal.
        var signatures: Int
        var refusal: String?
        /// The input needs a cross-reference repair: the stored report must say so.
        var repaired = false
    }

    /// A PDF whose `startxref` points past the end of the file: readable only after a repair by scanning.
    static func brokenCrossReference(_ pdf: [UInt8]) -> [UInt8] {
        let marker = Array("startxref\n".utf8)
        guard let at = (0...(pdf.count - marker.count)).reversed().first(where: { Array(pdf[$0..<($0 + marker.count)]) == marker }),
            let end = pdf[(at + marker.count)...].firstIndex(of: UInt8(ascii: "\n"))
        else { return pdf }
        var bytes = pdf
        bytes.replaceSubrange((at + marker.count)..<end, with: Array("99999999".utf8))
        return bytes
    }

    static func plan(count: Int) throws -> [Planned] {
        var plan: [Planned] = []
        for i in 0..<count {
            let pages = 1 + i % 3
            let pdf = SampleDocuments.pdf(pages: pages, title: "E2E document \(i)")
            switch i % 10 {
            case 0, 1, 2, 3:
                plan.append(Planned(pipeline: "licence", principal: "licence-office", document: pdf, format: .pdf, pages: pages, signatures: 1))
            case 4, 5:
                plan.append(Planned(pipeline: "licence", principal: "licence-office", document: try SampleDocuments.ofd(pages: pages), format: .ofd, pages: pages, signatures: 1))
            case 6:
                plan.append(Planned(pipeline: "customs", principal: "licence-office", document: pdf, format: .pdf, pages: pages, signatures: pages))
            case 7:
                plan.append(Planned(pipeline: "customs", principal: "licence-office", document: try SampleDocuments.ofd(pages: pages), format: .ofd, pages: pages, signatures: 1))
            default:
                plan.append(Planned(pipeline: "licence-rsa", principal: "licence-office", document: pdf, format: .pdf, pages: pages, signatures: 1))
            }
        }
        for n in 0..<4 {
            let document = n.isMultiple(of: 2)
                ? SampleDocuments.pdf(pages: 2, title: "timestamped \(n)") : try SampleDocuments.ofd(pages: 1 + n)
            plan.append(Planned(
                pipeline: "timestamped", principal: "licence-office", document: document,
                format: n.isMultiple(of: 2) ? .pdf : .ofd, pages: 2, signatures: 1))
        }
        let refusals: [(String, String, String)] = [
            ("expired", "licence-office", "sealExpired"), ("suspended", "licence-office", "sealSuspended"),
            ("licence", "intruder", "notAuthorised"),
        ]
        // A PDF needing repair: refused unless the pipeline says allow_repair (then its report says so).
        for n in 0..<2 {
            let broken = Self.brokenCrossReference(SampleDocuments.pdf(pages: 1 + n, title: "broken \(n)"))
            plan.append(Planned(
                pipeline: "licence", principal: "licence-office", document: broken, format: .pdf, pages: 1 + n,
                signatures: 0, refusal: "unreadableDocument"))
            plan.append(Planned(
                pipeline: "repair", principal: "licence-office", document: broken, format: .pdf, pages: 1 + n,
                signatures: 1, repaired: true))
        }
        for (pipeline, principal, code) in refusals {
            for n in 0..<2 {
                plan.append(Planned(
                    pipeline: pipeline, principal: principal, document: SampleDocuments.pdf(pages: 1, title: "refused \(code) \(n)"),
                    format: .pdf, pages: 1, signatures: 0, refusal: code))
            }
        }
        return plan
    }

    @Test func stampsEveryDocumentExactlyOnceAcrossWorkerProcessesWithOneKilled() throws {
        let world = try PipelineWorld()
        let plan = try Self.plan(count: Self.documentCount)
        let connection = try world.connect()
        defer { connection.close() }
        try connection.listen("sealpress_batches")

        // A CLI batch of files, enqueued twice: the second run adds nothing.
        let cliFolder = world.directory.appendingPathComponent("cli-docs/nested")
        try FileManager.default.createDirectory(at: cliFolder, withIntermediateDirectories: true)
        for n in 1...4 {
            try Data(SampleDocuments.pdf(pages: n, title: "cli \(n)")).write(to: cliFolder.appendingPathComponent("cli-\(n).pdf"))
        }
        try Data(try SampleDocuments.ofd(pages: 2)).write(to: cliFolder.appendingPathComponent("cli.ofd"))
        try Data("not a document".utf8).write(to: cliFolder.appendingPathComponent("notes.txt"))
        let cliArgs = ["enqueue", "stamp", "--pipeline", "licence", "--principal", "licence-office", "--batch", "cli-batch", "--json",
                       "--pipelines", world.pipelines.path, world.directory.appendingPathComponent("cli-docs").path]
        let first = try JSONSerialization.jsonObject(with: Data(try world.run(cliArgs).utf8)) as! [String: Any]
        let second = try JSONSerialization.jsonObject(with: Data(try world.run(cliArgs).utf8)) as! [String: Any]
        #expect(first["enqueued"] as? Int == 5)
        #expect((first["skipped"] as? [String])?.count == 1)
        #expect(second["enqueued"] as? Int == 0)
        #expect(second["alreadyEnqueued"] as? Int == 5)

        // The big batch, enqueued in-process through the queue's API.
        var jobs: [Int64: Planned] = [:]
        try connection.transaction { db in
            let queue = JobQueue(connection: db)
            for (index, planned) in plan.enumerated() {
                let args = #"{"pipeline": "\#(planned.pipeline)", "principal": "\#(planned.principal)"}"#
                let job = try queue.enqueue(NewJob(
                    kind: "stamp", argsJSON: args, maxAttempts: 5, batchLabel: "e2e", document: Data(planned.document),
                    documentName: "doc-\(index).\(planned.format.rawValue)"))
                jobs[job.id] = planned
            }
        }
        var verifyJobs: [Int64] = []
        for n in 0..<5 {
            verifyJobs.append(try JobQueue(connection: connection).enqueue(NewJob(
                kind: "verify", batchLabel: "e2e-verify", document: Data(SampleDocuments.pdf(pages: 1, title: "unsigned \(n)")))).id)
        }
        let expectedRows = plan.reduce(0) { $0 + $1.signatures } + 5

        // Three workers; one is killed with SIGKILL once a quarter of the signatures exist.
        let workers = try (1...3).map { try world.startWorker(name: "e2e-\($0)") }
        let killed = try waitUntil(timeout: 300) {
            try connection.query("SELECT count(*) FROM sealpress.usage_log")[0].int(0) >= expectedRows / 4
        }
        #expect(killed, "no progress before the kill")
        workers[0].kill(SIGKILL)
        let finished = try waitUntil(timeout: 600) {
            try connection.query(
                "SELECT count(*) FROM sealpress.jobs WHERE state NOT IN ('completed', 'discarded', 'cancelled')")[0].int(0) == 0
        }
        #expect(finished, "jobs left unfinished: \(workers.map(\.log).joined().suffix(2000))")
        for worker in workers.dropFirst() { worker.kill(SIGTERM) }
        for worker in workers.dropFirst() { #expect(worker.wait(timeout: 60) == 0) }

        // Every stamp job: completed with one output verified PASSED, one usage row per signature, chained to
        // the input and the output; refusals: discarded with their code, no output, no usage row.
        let trust = world.pki.trustStore
        var checkedPDF = 0
        var rsaSamples: [[UInt8]] = []
        var ofdSamples: [[UInt8]] = []
        for (id, planned) in jobs.sorted(by: { $0.key < $1.key }) {
            let row = try connection.query(
                """
                SELECT j.state::text, sealpress.output_bytes(j.id), o.report::text, j.errors -> -1 ->> 'error', j.last_error_code,
                       o.sha256
                  FROM sealpress.jobs j LEFT JOIN sealpress.outputs o ON o.job_id = j.id WHERE j.id = $1
                """, [.int64(id)])[0]
            let usage = try connection.query(
                """
                SELECT document_before, document_after, seal, principal, timestamp_token_hash
                  FROM sealpress.usage_log WHERE job_id = $1 ORDER BY sequence
                """, [.int64(id)])
            let lastError = try row.optionalString(3) ?? ""
            if let refusal = planned.refusal {
                #expect(try row.string(0) == "discarded")
                #expect(lastError.hasPrefix(refusal), "job \(id): \(lastError)")
                if refusal == "unreadableDocument" {
                    // A PDF needing repair, through a pipeline without allow_repair: malformed input, said how to allow it.
                    #expect(lastError.contains("allow_repair"), "job \(id): \(lastError)")
                    #expect(try row.optionalString(4) == "malformedInput", "job \(id): its code column")
                } else {
                    #expect(try row.optionalString(4) == "sealRefused", "job \(id): its code column")
                }
                #expect(try row.optionalBytes(1) == nil)
                #expect(usage.rowCount == 0)
                continue
            }
            #expect(try row.string(0) == "completed", "job \(id) \(planned.pipeline): \(lastError)")
            guard let output = try row.optionalBytes(1) else {
                Issue.record("job \(id) has no output")
                continue
            }
            let report = DocumentVerification.verify(output, format: planned.format, trust: trust)
            #expect(report.indication == .passed, "job \(id): \(report.verdict.reasons)")
            #expect(report.signatures.count == planned.signatures, "job \(id) signed \(report.signatures.count) times")
            let stored = try VerificationReport.decode(json: Data(try row.string(2).utf8))
            #expect(stored.indication == .passed)
            #expect(stored.documentSHA256 == Self.hex(Digest.hash(.sha256, output)))
            // The output row's hash (sent by the worker for an output stored as an extension, migration 8) is the
            // hash of the whole output as the database gives it back.
            #expect(try row.optionalBytes(5) == Digest.hash(.sha256, output), "job \(id): outputs.sha256")
            let saysRepaired = stored.documentChecks.contains { $0.name == "inputRepaired" }
            #expect(saysRepaired == planned.repaired, "job \(id) \(planned.pipeline): repaired \(planned.repaired)")
            #expect(usage.rowCount == planned.signatures, "job \(id): \(usage.rowCount) usage rows")
            if usage.rowCount > 0 {
                #expect(try usage[0].string(0) == Self.hex(Digest.hash(.sha256, planned.document)))
                #expect(try usage[usage.rowCount - 1].string(1) == Self.hex(Digest.hash(.sha256, output)))
                // Several signatures on one document: each starts from the document the previous one left.
                for index in 1..<usage.rowCount {
                    #expect(try usage[index].string(0) == usage[index - 1].string(1), "job \(id): usage rows not linked")
                }
            }
            if planned.pipeline == "timestamped" {
                let allTimestamped = report.signatures.allSatisfy { $0.timestamped }
                #expect(allTimestamped, "job \(id): no signature timestamp")
                let tokenHash = try usage.first?.optionalString(4)
                #expect(tokenHash?.count == 64, "job \(id): the usage row lacks the TSA token hash")
            }
            if planned.format == .pdf { checkedPDF += 1 }
            if planned.pipeline == "licence-rsa", rsaSamples.count < 3 { rsaSamples.append(output) }
            if planned.format == .ofd, ofdSamples.count < 3 { ofdSamples.append(output) }
        }
        #expect(checkedPDF > 0)
        for id in verifyJobs {
            let row = try connection.query(
                "SELECT j.state::text, o.report::text FROM sealpress.jobs j JOIN sealpress.outputs o ON o.job_id = j.id WHERE j.id = $1",
                [.int64(id)])
            #expect(row.rowCount == 1)
            if let text = try row.first?.string(1) {
                #expect(try VerificationReport.decode(json: Data(text.utf8)).indication == .indeterminate)  // unsigned
            }
        }
        // One usage row per signature, nothing else, and the chain is unbroken.
        #expect(try connection.query("SELECT count(*) FROM sealpress.usage_log")[0].int(0) == expectedRows)
        #expect(try connection.query(
            "SELECT count(*) FROM (SELECT job_id FROM sealpress.usage_log GROUP BY job_id, document_before HAVING count(*) > 1) d")[0].int(0) == 0)
        let audit = try world.run(["audit", "verify", "--json"])
        #expect(audit.contains("\"intact\" : true"), "\(audit)")

        // Batch notifications arrived for both batches.
        let notes = try connection.waitForNotifications(timeout: .milliseconds(500)).map(\.payload)
        #expect(notes.contains("e2e"), "\(notes)")
        #expect(notes.contains("cli-batch"), "\(notes)")

        // Export of the CLI batch: signed files, reports, summary.
        let exportDirectory = world.directory.appendingPathComponent("export")
        try world.run(["export", "--batch", "cli-batch", "--out", exportDirectory.path])
        let summary = try String(contentsOf: exportDirectory.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.split(separator: "\n").count == 6)
        #expect(summary.split(separator: "\n").dropFirst().allSatisfy { $0.contains(",completed,passed,") }, "\(summary)")
        for name in ["cli-1-signed.pdf", "cli-4-signed.pdf", "cli-signed.ofd", "cli-1-signed.report.json"] {
            #expect(FileManager.default.fileExists(atPath: exportDirectory.appendingPathComponent(name).path), "\(name)")
        }

        // Verify jobs (CLI) on our own exported outputs, by a worker that exits when idle: all pass.
        let verifyRun = try JSONSerialization.jsonObject(with: Data(try world.run(
            ["enqueue", "verify", "--batch", "check-exports", "--json", exportDirectory.path]).utf8)) as! [String: Any]
        #expect(verifyRun["enqueued"] as? Int == 5)  // the 5 signed documents; reports and summary.csv are skipped
        #expect(try world.startWorker(name: "e2e-verify", exitWhenIdle: true).wait(timeout: 120) == 0)
        let verdicts = try connection.query(
            """
            SELECT o.report -> 'verdict' ->> 'indication' FROM sealpress.jobs j JOIN sealpress.batches b ON b.id = j.batch_id
              JOIN sealpress.outputs o ON o.job_id = j.id WHERE b.label = 'check-exports'
            """).map { try $0.optionalString(0) }
        #expect(verdicts.count == 5 && verdicts.allSatisfy { $0 == "passed" }, "\(verdicts)")

        // Independent verifiers on samples.
        try Self.pyHanko(rsaSamples, root: world.rsaRoot, in: world.directory)
        try Self.ofdVerify(ofdSamples, in: world.directory)

        // The registry and the usage log as an operator reads them.
        let list = try JSONSerialization.jsonObject(with: Data(try world.run(["seal", "list", "--json"]).utf8)) as! [[String: Any]]
        let listed = list.compactMap { ($0["seal"] as? [String: Any])?["name"] as? String }.sorted()
        #expect(listed == ["bureau", "old-seal", "paused", "rsa-bureau"])
        #expect(list.allSatisfy { ($0["grants"] as? [Any])?.count == 1 })
        let log = try JSONSerialization.jsonObject(with: Data(try world.run(
            ["audit", "log", "--seal", "rsa-bureau", "--limit", "100000", "--json"]).utf8)) as! [[String: Any]]
        #expect(log.count == plan.filter { $0.pipeline == "licence-rsa" }.count)
        #expect(log.allSatisfy { $0["principal"] as? String == "licence-office" && ($0["documentAfter"] as? String)?.count == 64 })

        // Registry guards: a key whose certificate the seal does not list is refused; cancelled is final.
        let mismatch = try TestEnvironment.run(world.binary, [
            "seal", "register", "--name", "wrong-key", "--esl", world.directory.appendingPathComponent("bureau.esl").path,
            "--key-ref", "file:\(world.directory.path)/pki/rsa-signer.key.pem?cert=\(world.directory.path)/pki/rsa-signer.cert.pem",
            "--owner", "x", "--database-url", world.url])
        #expect(mismatch.status == 3 && mismatch.stderr.contains("not in the seal's certificate list"), "\(mismatch.stderr)")
        try world.run(["seal", "cancel", "paused", "--reason", "lost"])
        let resume = try TestEnvironment.run(world.binary, ["seal", "resume", "paused", "--database-url", world.url])
        #expect(resume.status == 3 && resume.stderr.contains("cancelled"), "\(resume.stderr)")

        // A usage row changed behind the triggers' back is found.
        let middle = expectedRows / 2
        try connection.execute("""
            SET session_replication_role = replica;
            UPDATE sealpress.usage_log SET principal = 'forged' WHERE sequence = \(middle);
            SET session_replication_role = origin;
            """)
        let broken = try world.run(["audit", "verify", "--json"], expect: 1)
        #expect(broken.contains("\"firstBadSequence\" : \(middle)"), "\(broken)")
    }

    static func pyHanko(_ samples: [[UInt8]], root: URL, in directory: URL) throws {
        guard TestEnvironment.peerAvailable("pyhanko", TestEnvironment.executable("pyhanko") != nil) else { return }
        #expect(!samples.isEmpty)
        for (index, sample) in samples.enumerated() {
            let file = directory.appendingPathComponent("pyhanko-\(index).pdf")
            try Data(sample).write(to: file)
            let result = try TestEnvironment.run(
                TestEnvironment.executable("pyhanko")!,
                ["sign", "validate", "--trust", root.path, "--trust-replace", "--no-revocation-check", file.path])
            #expect(result.status == 0, "pyHanko: \(result.stdout) \(result.stderr.suffix(500))")
            #expect(result.stdout.contains("INTACT:TRUSTED"), "\(result.stdout)")
        }
    }

    static func ofdVerify(_ samples: [[UInt8]], in directory: URL) throws {
        let tool = TestEnvironment.sharedTool("ofdverify.py")
        let python = TestEnvironment.executable("python3")
        guard TestEnvironment.peerAvailable("ofdverify.py", tool != nil && python != nil) else { return }
        #expect(!samples.isEmpty)
        for (index, sample) in samples.enumerated() {
            let file = directory.appendingPathComponent("ofdverify-\(index).ofd")
            try Data(sample).write(to: file)
            let result = try TestEnvironment.run(python!, [tool!.path, file.path])
            #expect(result.status == 0, "ofdverify.py: \(result.stdout.suffix(800))")
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}

/// Polls `condition` every 100 ms until it holds or `timeout` passes.
func waitUntil(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(100_000)
    }
    return try condition()
}
