import ArgumentParser
import Foundation
import Postgres
import SealCrypto
import SealQueue
import SealReport

/// `sealpress export --batch LABEL --out DIR [--json]`: writes a batch's signed documents and reports.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a batch's signed documents (name-signed.pdf/.ofd), their reports, and summary.csv.",
        discussion: """
            For each job of the batch: the signed document under its original name with a -signed suffix, the \
            verification report as JSON beside it, and one line of summary.csv (job, kind, file, state, verdict, \
            output, report, error, code — the job's latest failure code). Exit status 0 when every job completed, 1 when some did not or an output does not match its recorded SHA-256 (that file is not written; the summary says so), 3 on errors.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Batch label.") var batch: String
    @Option(help: "Output directory (created if missing).") var out: String
    @Flag(help: "Draw the progress bar even when stderr is not a terminal.") var progress = false
    @Flag(help: "Print the summary as JSON.") var json = false

    struct Line: Encodable {
        var job: Int64
        var kind: String
        var file: String
        var state: String
        var verdict: String
        var output: String
        var report: String
        var error: String
        /// The latest failure's ``JobErrorCode`` (empty when the job never failed).
        var code: String
    }

    func run() throws {
        let directory = URL(fileURLWithPath: out)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CouldNotRun("cannot create \(out)")
        }
        let connection = try database.connectExisting()
        defer { connection.close() }
        var lines: [Line] = []
        do {
            let queue = JobQueue(connection: connection)
            guard let reference = try queue.batch(label: batch) else {
                throw CouldNotRun("no batch labelled \"\(batch)\"")
            }
            let bar = ProgressBar(total: reference.total, label: "export", force: progress)
            var usedNames = Set<String>()
            var lastID: Int64 = 0
            while true {
                let page = try queue.batchResults(batchID: reference.id, afterID: lastID)
                if page.isEmpty { break }
                for job in page {
                    lastID = job.id
                    lines.append(try export(job, into: directory, usedNames: &usedNames, queue: queue))
                    bar.advance()
                }
            }
            bar.finish()
        } catch let error as CouldNotRun {
            throw error
        } catch {
            throw QueueCommandSupport.couldNotRun(error, doing: "read the batch")
        }
        var csv = "job,kind,file,state,verdict,output,report,error,code\n"
        for line in lines {
            csv += [String(line.job), line.kind, line.file, line.state, line.verdict, line.output, line.report, line.error,
                    line.code]
                .map(Self.csvField).joined(separator: ",") + "\n"
        }
        let summaryURL = directory.appendingPathComponent("summary.csv")
        try Data(csv.utf8).write(to: summaryURL)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(lines), as: UTF8.self))
        } else {
            let completed = lines.filter { $0.state == "completed" }.count
            print("exported batch \"\(batch)\": \(lines.count) job(s), \(completed) completed → \(directory.path)"
                + " (summary: \(summaryURL.path))")
        }
        if lines.contains(where: { $0.state != "completed" || $0.code == OutputHashMismatch.code }) { throw ExitCode(1) }
    }

    private func export(
        _ job: BatchJobResult, into directory: URL, usedNames: inout Set<String>, queue: JobQueue
    ) throws -> Line {
        let kind = job.kind
        let name = job.documentName
        let id = job.id
        var line = Line(
            job: id, kind: kind, file: name, state: job.state.rawValue, verdict: "", output: "", report: "",
            error: job.lastError ?? "", code: job.lastErrorCode?.rawValue ?? "")
        let stem = Self.uniqueStem((name as NSString).deletingPathExtension, id: id, used: &usedNames)
        do {
            if let bytes = job.output {
                try Self.checkRecordedHash(Digest.hash(.sha256, bytes), of: job)
                let ext = DocumentFormat.detect(bytes.prefix(1024))?.rawValue ?? "bin"
                line.output = "\(stem)-signed.\(ext)"
                try Data(bytes).write(to: directory.appendingPathComponent(line.output))
            } else if job.outputSize != nil {
                line.output = try Self.writeLargeOutput(job, stem: stem, into: directory, queue: queue)
            }
        } catch let mismatch as OutputHashMismatch {
            // This job's output is not written; the rest of the batch is, and the summary says which one failed.
            FileHandle.standardError.write(Data("sealpress: \(mismatch.message)\n".utf8))
            line.output = ""
            line.error = mismatch.message
            line.code = OutputHashMismatch.code
            line.verdict = "not exported"
            return line
        }
        if let report = job.reportJSON {
            line.report = kind == "stamp" ? "\(stem)-signed.report.json" : "\(stem).report.json"
            let decoded = try? VerificationReport.decode(json: Data(report.utf8))
            line.verdict = decoded?.indication.rawValue ?? ""
            let pretty = (try? decoded?.jsonData(pretty: true)) ?? Data(report.utf8)
            try pretty.write(to: directory.appendingPathComponent(line.report))
        }
        if line.state == "completed" && line.verdict.isEmpty && !line.output.isEmpty { line.verdict = "not verified" }
        if line.state != "completed" && line.verdict.isEmpty { line.verdict = line.state == "discarded" ? "refused" : "" }
        return line
    }

    /// Every output is hashed as it is written and must match the SHA-256 recorded with it (`outputs.sha256`): for an
    /// output stored as an extension of its input, the worker's hash of the whole output (queue migration 8), which
    /// the server stores without reading the input back. A mismatch leaves that job's file unwritten (its summary
    /// line says why, code `outputHashMismatch`), the rest of the batch is exported, and the command exits 1.
    private static func checkRecordedHash(_ digest: [UInt8], of job: BatchJobResult) throws(OutputHashMismatch) {
        guard let recorded = job.outputSHA256, recorded != digest else { return }
        throw OutputHashMismatch(
            message: "job \(job.id): the stored output does not match the SHA-256 recorded with it "
                + "(\(Hex.string(recorded))); not exported — re-run the job or restore the output from a backup")
    }

    /// An output whose bytes do not hash to the SHA-256 recorded with them.
    struct OutputHashMismatch: Error {
        static let code = "outputHashMismatch"
        let message: String
    }

    /// An output too large to come with the batch page: read in pieces straight into its file (the name's extension
    /// from the first piece), so export never holds it whole. Returns the file name.
    private static func writeLargeOutput(_ job: BatchJobResult, stem: String, into directory: URL, queue: JobQueue) throws -> String {
        let partial = directory.appendingPathComponent(".\(stem)-signed.partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: partial.path)
        else { throw CouldNotRun("cannot write \(partial.path)") }
        var ext: String?
        do {
            defer { try? handle.close() }
            var hasher = SealCrypto.Hasher(.sha256)
            try queue.readOutput(jobID: job.id) { piece in
                if ext == nil { ext = DocumentFormat.detect(piece.prefix(1024))?.rawValue ?? "bin" }
                hasher.update(piece)
                try handle.write(contentsOf: piece)
            }
            try checkRecordedHash(hasher.finalize(), of: job)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        let name = "\(stem)-signed.\(ext ?? "bin")"
        let target = directory.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: partial, to: target)
        return name
    }

    private static func uniqueStem(_ stem: String, id: Int64, used: inout Set<String>) -> String {
        let safe = stem.replacingOccurrences(of: "/", with: "_")
        let chosen = used.contains(safe) ? "\(safe)-\(id)" : safe
        used.insert(chosen)
        return chosen
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
