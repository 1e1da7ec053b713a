import Foundation
import Postgres
import SealPipeline
import SealQueue
import Testing

/// The pipeline's limits end to end with real processes: a seal's limits set by `sealpress seal limit` and carried
/// by `enqueue stamp` jobs, `max_document_bytes` / `max_pages` failing typed with nothing written, and
/// `unique_within` refusing the same document for the same pipeline from another batch.
@Suite(.serialized) struct PipelineLimitsTests {
    @Test func sizePageAndUniqueLimitsOfAPipelineAndTheSealsLimits() throws {
        let world = try PipelineWorld()
        let connection = try world.connect()
        defer { connection.close() }
        let placement = "seal: bureau\nplacements:\n  - page: last\n    x_mm: 20\n    y_mm: 20\n"
        for (name, extra) in [("small", "max_document_bytes: 2KB\n"), ("short", "max_pages: 2\n"),
                              ("once", "unique_within: 24h\n")] {
            try Data("name: \(name)\n\(placement)\(extra)".utf8).write(to: world.pipelines.appendingPathComponent("\(name).yaml"))
        }
        let limit = try world.run(["seal", "limit", "bureau", "--max-concurrent", "1", "--rate", "600/min", "--burst", "3"])
        #expect(limit.contains("at most 1 running at once") && limit.contains("at most 10 starts per second"))
        // Changing one limit keeps the others.
        let changed = try world.run(["seal", "limit", "bureau", "--max-concurrent", "1"])
        #expect(changed.contains("at most 10 starts per second (burst 3)"), "\(changed)")

        let docs = world.directory.appendingPathComponent("limit-docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let url = docs.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url.path
        }
        let big = try write("big.pdf", SampleDocuments.pdf(pages: 30, title: "thirty pages"))
        let long = try write("long.pdf", SampleDocuments.pdf(pages: 3, title: "three pages"))
        let longOFD = try write("long.ofd", try SampleDocuments.ofd(pages: 3))
        let once = try write("once.pdf", SampleDocuments.pdf(pages: 1, title: "once"))
        func enqueue(_ pipeline: String, batch: String, _ paths: [String]) throws -> [String: Any] {
            let out = try world.run([
                "enqueue", "stamp", "--pipeline", pipeline, "--principal", "licence-office", "--batch", batch, "--json",
                "--pipelines", world.pipelines.path,
            ] + paths)
            return try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
        }
        let tooBig = try enqueue("small", batch: "b-small", [big])
        let tooLong = try enqueue("short", batch: "b-short", [long, longOFD])
        let first = try enqueue("once", batch: "b-once-1", [once])
        let second = try enqueue("once", batch: "b-once-2", [once])
        #expect(first["enqueued"] as? Int == 1)
        #expect(second["enqueued"] as? Int == 0 && second["duplicates"] as? Int == 1)
        #expect((second["duplicateOf"] as? [Int]) == (first["jobs"] as? [Int]), "the refusal names the earlier job")
        // Every stamp job carries its seal (the limit key) and its principal.
        #expect(try connection.query("""
            SELECT count(*)::int8 FROM sealpress.jobs WHERE limit_key = 'bureau' AND principal = 'licence-office'
            """)[0].int(0) == 4)

        let worker = try world.startWorker(name: "limits", concurrency: 4, exitWhenIdle: true)
        #expect(worker.wait(timeout: 120) == 0, "\(worker.log)")
        func codes(_ result: [String: Any]) throws -> [String] {
            let ids = (result["jobs"] as? [Int] ?? []).map(Int64.init)
            return try connection.query("""
                SELECT state::text || ':' || coalesce(last_error_code, '') FROM sealpress.jobs WHERE id = ANY($1) ORDER BY id
                """, [.int64Array(ids)]).map { try $0.string(0) }
        }
        #expect(try codes(tooBig) == ["discarded:documentTooLarge"])
        #expect(try codes(tooLong) == ["discarded:tooManyPages", "discarded:tooManyPages"])
        #expect(try codes(first) == ["completed:"])
        // Refused documents were never signed: no output, no usage row; each failed once (never retried).
        #expect(try connection.query("SELECT count(*)::int8 FROM sealpress.outputs")[0].int(0) == 1)
        #expect(try connection.query("SELECT count(*)::int8 FROM sealpress.usage_log")[0].int(0) == 1)
        #expect(try connection.query("SELECT max(attempt)::int8 FROM sealpress.jobs")[0].int(0) == 1)

        let status = try JSONSerialization.jsonObject(with: Data(try world.run(["status", "--json"]).utf8)) as? [String: Any]
        let limits = status?["limits"] as? [[String: Any]] ?? []
        #expect(limits.first?["key"] as? String == "bureau" && limits.first?["maxConcurrent"] as? Int == 1)
        #expect((status?["principals"] as? [[String: Any]] ?? []).isEmpty, "nothing queued or running any more")
        #expect(try world.run(["seal", "limit", "bureau", "--clear"]).contains("no limits"))
    }

    @Test func pipelineLimitKeysAreReadAndCheckedWithTheirLines() throws {
        let base = "name: p\nseal: s\nplacements:\n  - page: 1\n    x_mm: 1\n    y_mm: 1\n"
        let pipeline = try PipelineLoader.load(yaml: base + "max_document_bytes: 20MB\nmax_pages: 50\nunique_within: 24h\n")
        #expect(pipeline.maxDocumentBytes == 20 * 1_048_576)
        #expect(pipeline.maxPages == 50)
        #expect(pipeline.uniqueWithinSeconds == 86_400)
        #expect(try PipelineLoader.load(yaml: base + "max_document_bytes: 4096\n").maxDocumentBytes == 4096)
        #expect(try PipelineLoader.load(yaml: base).maxPages == nil)
        do {
            _ = try PipelineLoader.load(yaml: base + "max_document_bytes: lots\nmax_pages: 0\nunique_within: soon\n")
            Issue.record("bad limits were accepted")
        } catch {
            #expect(error.problems.count == 3)
            #expect(error.problems.allSatisfy { $0.line != nil })
        }
    }
}
