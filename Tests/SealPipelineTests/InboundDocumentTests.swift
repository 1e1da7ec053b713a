import Foundation
import Postgres
import SealCrypto
import SealPDF
import SealPipeline
import SealQueue
import SealReport
import SealTestSupport
import Testing

/// Documents as they really arrive, through worker processes on a real PostgreSQL: already signed by another
/// party (countersigning with `verify_after_signing`), encrypted (`password_ref`), damaged (`allow_repair`).
@Suite(.serialized) struct InboundDocumentTests {
    /// A corpus file of another test target (`SealOFDTests/Fixtures/corpus/…`, `SealPDFTests/Fixtures/…`).
    static func corpus(_ path: String) throws -> [UInt8] {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return [UInt8](try Data(contentsOf: tests.appendingPathComponent(path)))
    }

    struct Finished {
        var state: String
        var code: String?
        var error: String
        var output: [UInt8]?
        var report: VerificationReport?
    }

    /// Enqueues `documents` as stamp jobs, runs one worker until the queue is idle, and returns each job's end.
    static func run(
        _ world: PipelineWorld, _ documents: [(pipeline: String, name: String, bytes: [UInt8])],
        passwordRefs: [Int: String] = [:], workerEnvironment: [String: String] = [:], workerArguments: [String] = [],
        whileRunning: (ChildProcess) throws -> Void = { _ in }
    ) throws -> [Finished] {
        let connection = try world.connect()
        defer { connection.close() }
        var ids: [Int64] = []
        for (index, document) in documents.enumerated() {
            let args = StampJobArguments(pipeline: document.pipeline, principal: "licence-office", passwordRef: passwordRefs[index])
            ids.append(try JobQueue(connection: connection).enqueue(NewJob(
                kind: "stamp", argsJSON: args.json,
                maxAttempts: 2, batchLabel: "inbound", document: Data(document.bytes), documentName: document.name)).id)
        }
        let worker = try world.startWorker(
            name: "inbound", environment: workerEnvironment, extraArguments: workerArguments)
        let done = try waitUntil(timeout: 300) {
            try connection.query(
                "SELECT count(*) FROM sealpress.jobs WHERE state NOT IN ('completed', 'discarded', 'cancelled')")[0].int(0) == 0
        }
        #expect(done, "jobs still pending: \(worker.log.suffix(2000))")
        try whileRunning(worker)
        worker.kill(SIGTERM)
        worker.wait(timeout: 30)
        return try ids.map { id in
            let row = try connection.query(
                """
                SELECT j.state::text, j.last_error_code, j.errors -> -1 ->> 'error', sealpress.output_bytes(j.id), o.report::text
                  FROM sealpress.jobs j LEFT JOIN sealpress.outputs o ON o.job_id = j.id WHERE j.id = $1
                """, [.int64(id)])[0]
            return Finished(
                state: try row.string(0), code: try row.optionalString(1), error: try row.optionalString(2) ?? "",
                output: try row.optionalBytes(3),
                report: try row.optionalString(4).map { try VerificationReport.decode(json: Data($0.utf8)) })
        }
    }

    // MARK: - Countersigning (issue 14, item 2)

    @Test func countersignsThirdPartySignedOFDAndPDFKeepingTheirSignaturesIntact() throws {
        let world = try PipelineWorld()
        let pipelines: [(String, String)] = [
            ("countersign-ofd", "seal: bureau\nformats:\n  ofd: ses\n"),
            ("countersign-pdf", "seal: rsa-bureau\nformats:\n  pdf: pades-b-b\n"),
            ("strict-ofd", "seal: bureau\nformats:\n  ofd: ses\nearlier_signatures: full\n"),
            ("strict-pdf", "seal: rsa-bureau\nformats:\n  pdf: pades-b-b\nearlier_signatures: full\n"),
            ("lenient-pdf", "seal: rsa-bureau\nformats:\n  pdf: pades-b-b\nearlier_signatures: ignore\n"),
        ]
        for (name, body) in pipelines {
            try Data("name: \(name)\n\(body)placements:\n  - page: last\n    x_mm: 20\n    y_mm: 20\n    width_mm: 30\nverify_after_signing: true\n".utf8)
                .write(to: world.pipelines.appendingPathComponent("\(name).yaml"))
        }
        let bank = try Self.corpus("SealOFDTests/Fixtures/corpus/bank_receipt_1.ofd")
        let ticket = try Self.corpus("SealOFDTests/Fixtures/corpus/售票换开样例.ofd")
        let signedPDF = try Self.corpus("SealPDFTests/Fixtures/corpus/pyhanko-signed-twice.pdf")
        let results = try Self.run(world, [
            ("countersign-ofd", "bank_receipt_1.ofd", bank), ("countersign-ofd", "ticket.ofd", ticket),
            ("countersign-pdf", "signed-twice.pdf", signedPDF), ("lenient-pdf", "signed-twice.pdf", signedPDF),
            ("strict-ofd", "bank_receipt_1.ofd", bank), ("strict-pdf", "signed-twice.pdf", signedPDF),
        ])
        let earlierCounts = [1, 1, 2, 2]
        for (index, result) in results.prefix(4).enumerated() {
            #expect(result.state == "completed", "job \(index): \(result.code ?? "") \(result.error)")
            guard let report = result.report, let output = result.output else {
                Issue.record("job \(index) has no output or report")
                continue
            }
            // The stored report lists the earlier signatures and ours, and says how the earlier ones were judged.
            #expect(report.signatures.count == earlierCounts[index] + 1, "job \(index): \(report.signatures.map(\.id))")
            #expect(report.documentChecks.contains { $0.name == "earlierSignatures" }, "job \(index)")
            #expect(report.signatures.allSatisfy { $0.integrity.indication == .passed }, "job \(index): \(report.verdict.reasons)")
            #expect(report.signatures.filter { $0.trust.indication == .passed }.count == 1, "job \(index): only ours is trusted")
            #expect(report.verdict.indication != .passed, "job \(index): the earlier signatures do not chain to our anchors")
            let outputHash = PipelineEndToEndTests.hex(Digest.hash(.sha256, output))
            #expect(report.documentSHA256 == outputHash)
        }
        // The strict pipelines refuse the same documents: the earlier signer is not trusted here.
        for result in results.suffix(2) {
            #expect(result.state == "discarded")
            #expect(result.code == "verificationFailed", "\(result.error)")
            #expect(result.error.contains("earlier signature"), "\(result.error)")
            let hasOutput = result.output != nil
            #expect(!hasOutput)
        }

        // Independent checkers: every signature of the countersigned files is intact.
        for (index, result) in results.prefix(2).enumerated() {
            guard let output = result.output, let judged = try Self.ofdVerify(output, in: world.directory) else { continue }
            #expect(judged.status == 0, "ofdverify.py on countersigned OFD \(index): \(judged.output.suffix(1500))")
            #expect(judged.output.contains("SIGNATURE 2: VALID"), "\(judged.output.suffix(1500))")
        }
        if TestEnvironment.peerAvailable("pyhanko", TestEnvironment.executable("pyhanko") != nil),
            let output = results[2].output
        {
            let file = world.directory.appendingPathComponent("countersigned.pdf")
            try Data(output).write(to: file)
            let result = try TestEnvironment.run(
                TestEnvironment.executable("pyhanko")!,
                ["sign", "validate", "--trust", world.rsaRoot.path, "--trust-replace", "--no-revocation-check", file.path])
            let lines = result.stdout.split(separator: "\n").map(String.init).filter { $0.contains(":INTACT:") }
            #expect(lines.count == 3, "pyHanko: \(result.stdout) \(result.stderr.suffix(800))")
            #expect(lines.filter { $0.contains("INTACT:TRUSTED") }.count == 1, "\(result.stdout)")
            #expect(!result.stdout.contains("ILLEGAL") && !result.stdout.contains("SUSPICIOUS"), "\(result.stdout)")
        }
        if TestEnvironment.peerAvailable("pdfsig", TestEnvironment.executable("pdfsig") != nil), let output = results[2].output {
            let file = world.directory.appendingPathComponent("countersigned-pdfsig.pdf")
            try Data(output).write(to: file)
            let result = try TestEnvironment.run(TestEnvironment.executable("pdfsig")!, ["-nocert", file.path])
            let valid = result.stdout.components(separatedBy: "Signature is Valid").count - 1
            #expect(valid == 3, "pdfsig: \(result.stdout)")
        }
    }

    static func ofdVerify(_ bytes: [UInt8], in directory: URL) throws -> (status: Int32, output: String)? {
        let tool = TestEnvironment.sharedTool("ofdverify.py")
        let python = TestEnvironment.executable("python3")
        guard TestEnvironment.peerAvailable("ofdverify.py", tool != nil && python != nil) else { return nil }
        let file = directory.appendingPathComponent("ofdverify-\(UUID().uuidString).ofd")
        try Data(bytes).write(to: file)
        let result = try TestEnvironment.run(python!, [tool!.path, file.path])
        return (result.status, result.stdout + result.stderr)
    }

    // MARK: - Encrypted inputs (issue 14, item 3)

    @Test func encryptedCorpusPDFsGoThroughTheQueueWithAPasswordReferenceThatIsNeverStored() throws {
        let world = try PipelineWorld()
        let secret = "userpw"  // the corpus PDFs' user password (Fixtures/encrypted/README.md)
        let wrong = "not-the-pw-4711"
        let passwordFile = world.directory.appendingPathComponent("pdf-password.txt")
        try Data("\(secret)\n".utf8).write(to: passwordFile)
        let placement = "placements:\n  - page: 1\n    x_mm: 20\n    y_mm: 20\n    width_mm: 30\nformats:\n  pdf: pades-b-b\n"
        let pipelines: [(String, String)] = [
            ("encrypted-env", "seal: rsa-bureau\npassword_ref: env:SEALPRESS_E2E_PDF_PASSWORD\n"),
            ("encrypted-file", "seal: rsa-bureau\npassword_ref: file:\(passwordFile.path)\n"),
            ("encrypted-wrong", "seal: rsa-bureau\npassword_ref: env:SEALPRESS_E2E_WRONG_PASSWORD\n"),
            ("encrypted-unset", "seal: rsa-bureau\npassword_ref: env:SEALPRESS_E2E_UNSET_PASSWORD\n"),
            ("encrypted-none", "seal: rsa-bureau\n"),
        ]
        for (name, body) in pipelines {
            try Data("name: \(name)\n\(body)\(placement)verify_after_signing: true\n".utf8)
                .write(to: world.pipelines.appendingPathComponent("\(name).yaml"))
        }
        let rc4 = try Self.corpus("SealPDFTests/Fixtures/encrypted/rc4-128.pdf")
        let aes128 = try Self.corpus("SealPDFTests/Fixtures/encrypted/aes-128.pdf")
        let aes256 = try Self.corpus("SealPDFTests/Fixtures/encrypted/aes-256-r6.pdf")
        let metricsPort = 40_000 + Int.random(in: 0..<20_000)
        var metrics = ""
        let results = try Self.run(
            world,
            [
                ("encrypted-env", "rc4-128.pdf", rc4), ("encrypted-file", "aes-128.pdf", aes128),
                ("encrypted-env", "aes-256-r6.pdf", aes256),
                ("encrypted-wrong", "aes-256-r6.pdf", aes256), ("encrypted-unset", "rc4-128.pdf", rc4),
                ("encrypted-none", "aes-128.pdf", aes128),
                // The job names the reference (overriding the pipeline's), or writes something that is not one.
                ("encrypted-none", "aes-256-r6.pdf", aes256), ("encrypted-none", "rc4-128.pdf", rc4),
            ],
            passwordRefs: [6: "env:SEALPRESS_E2E_PDF_PASSWORD", 7: "not-a-reference-4711"],
            workerEnvironment: ["SEALPRESS_E2E_PDF_PASSWORD": secret, "SEALPRESS_E2E_WRONG_PASSWORD": wrong],
            workerArguments: ["--log-level", "debug", "--metrics-port", String(metricsPort), "--metrics-host", "127.0.0.1"],
            whileRunning: { _ in metrics = try HTTPGet.get(port: metricsPort, path: "/metrics").body })

        let trust = world.pki.trustStore
        for (index, result) in (results.prefix(3) + [results[6]]).enumerated() {
            #expect(result.state == "completed", "job \(index): \(result.code ?? "") \(result.error)")
            guard let output = result.output else { continue }
            // The output stays encrypted: unreadable without the password, signed and passing with it.
            let locked = DocumentVerification.verify(output, format: .pdf, trust: trust)
            #expect(locked.signatures.isEmpty && locked.indication == .indeterminate, "job \(index) is no longer encrypted")
            let opened = DocumentVerification.verify(output, format: .pdf, trust: trust, password: secret)
            #expect(opened.signatures.count == 1 && opened.indication == .passed, "job \(index): \(opened.verdict.reasons)")
            #expect(result.report?.indication == .passed, "job \(index): \(result.report?.verdict.reasons ?? [])")
        }
        #expect(results[3].state == "discarded")
        #expect(results[3].code == "wrongPassword", "\(results[3].error)")
        #expect(results[3].error.contains("env:SEALPRESS_E2E_WRONG_PASSWORD"), "names the reference: \(results[3].error)")
        for result in results[4...5] {
            #expect(result.state == "discarded")
            #expect(result.code == "encryptedNeedsPassword", "\(result.error)")
        }
        #expect(results[7].state == "discarded")
        #expect(results[7].code == "invalidArguments", "\(results[7].error)")
        #expect(results[7].error.contains("password_ref") && !results[7].error.contains("4711"), "\(results[7].error)")
        #expect(results[4].error.contains("SEALPRESS_E2E_UNSET_PASSWORD"), "names the reference: \(results[4].error)")
        #expect(results[5].error.contains("password_ref"), "says how to give one: \(results[5].error)")

        // No password anywhere: job rows (arguments, errors), outputs' reports, the worker's log, metrics.
        let connection = try world.connect()
        defer { connection.close() }
        let rows = try connection.query(
            "SELECT coalesce(string_agg(row_to_json(j)::text, ' '), '') FROM sealpress.jobs j")[0].string(0)
        let reports = try connection.query(
            "SELECT coalesce(string_agg(report::text, ' '), '') FROM sealpress.outputs")[0].string(0)
        let log = world.workers.last?.log ?? ""
        #expect(!log.isEmpty && !metrics.isEmpty && rows.contains("encrypted-env"))
        for text in [rows, reports, log, metrics] {
            #expect(!text.contains(secret) && !text.contains(wrong), "a password leaked: \(text.prefix(300))")
        }
    }

    // MARK: - Damaged unsigned inputs (issue 14, item 4)

    /// `pdf` with its last `startxref` pointing past the end of the file (any line ends): readable only after a
    /// repair by scanning.
    static func breakingStartXRef(_ pdf: [UInt8]) -> [UInt8] {
        let marker = Array("startxref".utf8)
        guard let at = (0...(pdf.count - marker.count)).reversed().first(where: { Array(pdf[$0..<($0 + marker.count)]) == marker })
        else { return pdf }
        var start = at + marker.count
        while start < pdf.count, pdf[start] == 10 || pdf[start] == 13 || pdf[start] == 32 { start += 1 }
        var end = start
        while end < pdf.count, (48...57).contains(pdf[end]) { end += 1 }
        var bytes = pdf
        bytes.replaceSubrange(start..<end, with: Array("99999999".utf8))
        return bytes
    }

    @Test func repairedUnsignedPDFsAreRewrittenInFullBeforeSigningAndSignedOnesAreNeverRepaired() throws {
        let world = try PipelineWorld()
        // Small enough for pdf.js's 70.6 × 17.6 mm page.
        try Data(
            "name: repair-rsa\nseal: rsa-bureau\nplacements:\n  - page: 1\n    x_mm: 2\n    y_mm: 2\n    width_mm: 10\nallow_repair: true\nverify_after_signing: true\n".utf8
        ).write(to: world.pipelines.appendingPathComponent("repair-rsa.yaml"))
        let damaged = [
            try Self.corpus("SealPDFTests/Fixtures/corpus/pdfjs-xref_command_missing.pdf"),
            Self.breakingStartXRef(try Self.corpus("SealPDFTests/Fixtures/corpus/sf-minimal-document.pdf")),
        ]
        let signedBroken = Self.breakingStartXRef(try Self.corpus("SealPDFTests/Fixtures/corpus/pyhanko-signed-twice.pdf"))
        let needRepair = (damaged + [signedBroken]).map { PDFRepairPolicy.needsRepair($0) }
        #expect(needRepair == [true, true, true], "inputs that no longer need a repair test nothing here")
        let results = try Self.run(world, [
            ("repair-rsa", "xref-missing.pdf", damaged[0]), ("repair-rsa", "minimal-broken.pdf", damaged[1]),
            ("repair-rsa", "signed-broken.pdf", signedBroken),
        ])
        for (index, result) in results.prefix(2).enumerated() {
            #expect(result.state == "completed", "job \(index): \(result.code ?? "") \(result.error)")
            guard let output = result.output else { continue }
            let repaired = result.report?.documentChecks.first { $0.name == "inputRepaired" }
            #expect(repaired?.reason?.contains("written out in full") == true, "job \(index): \(String(describing: repaired))")
            // One clean revision plus our update: readable without any repair.
            let outputNeedsRepair = PDFRepairPolicy.needsRepair(output)
            #expect(!outputNeedsRepair, "job \(index): the output still needs a repair")
            // Two revisions: the rewrite (with a fresh cross-reference) and our signature's update. An update on
            // the broken bytes would leave the damage in the file: one revision with no /Prev, the old bytes before.
            let revisions = (try? PDFDocument(bytes: output, options: PDFReadOptions(allowRepair: false)))?.revisions.count
            #expect(revisions == 2, "job \(index): \(String(describing: revisions)) revision(s)")
            let damage = Array("startxref\n99999999".utf8)
            let keepsDamage = output.count >= damage.count
                && (0...(output.count - damage.count)).contains { Array(output[$0..<($0 + damage.count)]) == damage }
            #expect(!keepsDamage, "job \(index): the broken startxref is still in the output")
            let verdict = DocumentVerification.verify(output, format: .pdf, trust: world.pki.trustStore).verdict
            #expect(verdict.indication == .passed, "job \(index): \(verdict.reasons)")
            let file = world.directory.appendingPathComponent("repaired-\(index).pdf")
            try Data(output).write(to: file)
            if TestEnvironment.peerAvailable("pyhanko", TestEnvironment.executable("pyhanko") != nil) {
                let judged = try TestEnvironment.run(
                    TestEnvironment.executable("pyhanko")!,
                    ["sign", "validate", "--trust", world.rsaRoot.path, "--trust-replace", "--no-revocation-check", file.path])
                #expect(judged.status == 0 && judged.stdout.contains("INTACT:TRUSTED"), "pyHanko: \(judged.stdout) \(judged.stderr.suffix(600))")
            }
            if TestEnvironment.peerAvailable("qpdf", TestEnvironment.executable("qpdf") != nil) {
                let checked = try TestEnvironment.run(TestEnvironment.executable("qpdf")!, ["--check", file.path])
                #expect(checked.status == 0, "qpdf --check: \(checked.stdout.suffix(600)) \(checked.stderr.suffix(600))")
            }
        }
        #expect(results[2].state == "discarded")
        #expect(results[2].code == "malformedInput", "\(results[2].error)")
        #expect(results[2].error.contains("already signed"), "\(results[2].error)")
    }
}
