import ArgumentParser
import Foundation
import SealPipeline

/// `sealpress pipeline …`: declarative stamping pipelines (`Pipelines/*.yaml`).
struct PipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Check and list stamping pipelines (which seal, where, which format, which checks).",
        subcommands: [Check.self, List.self, Samples.self]
    )

    /// `sealpress pipeline check FILE…`: every problem with file:line:column, exit 1 when any.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check pipeline files; prints every problem as file:line:column: message.",
            discussion: """
                Applies the rules the worker applies when it loads its pipelines: every key and value, placements \
                (millimetres from the page's bottom-left corner), lock, and no two files defining the same name. \
                Exits 0 when every file is valid, 1 when any is not.

                Examples:
                  sealpress pipeline check Pipelines/
                  sealpress pipeline check Pipelines/customs-declaration.yaml --json
                """)

        @Argument(help: "Pipeline YAML files or directories of them.")
        var files: [String]

        @Flag(help: "Print the parsed pipelines (or the problems) as JSON.")
        var json = false

        func run() throws {
            // The worker loads pipelines with the same rules (PipelineValidation), so what passes here runs there.
            let result = PipelineValidation.validate(files: try expand(files))
            let parsed = result.loaded.map(\.pipeline)
            if json {
                struct Output: Encodable {
                    var pipelines: [Pipeline]
                    var problems: [String]
                    var valid: Bool
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let output = Output(
                    pipelines: parsed,
                    problems: result.problems.flatMap { $0.description.split(separator: "\n").map(String.init) },
                    valid: result.isValid)
                print(String(decoding: try encoder.encode(output), as: UTF8.self))
            } else {
                for problem in result.problems { print(problem.description) }
                for pipeline in parsed { print("ok: \(pipeline.name) (seal \(pipeline.seal), \(pipeline.placements.count) placement(s))") }
            }
            if !result.isValid { throw ExitCode(1) }
        }
    }

    /// `sealpress pipeline list [DIR]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the pipelines of a directory.",
            discussion: """
                Refuses a directory with problems (the worker would): see `sealpress pipeline check DIR`.

                Example:
                  sealpress pipeline list Pipelines
                """)

        @Argument(help: "Directory of pipeline files.")
        var directory: String = "Pipelines"

        func run() throws {
            let result = PipelineValidation.validate(files: PipelineValidation.files(in: URL(fileURLWithPath: directory)))
            if !result.isValid {
                throw CouldNotRun(
                    "pipeline problems (see `sealpress pipeline check \(directory)`):\n"
                        + result.problems.map(\.description).joined(separator: "\n"))
            }
            let pipelines = result.pipelines
            for pipeline in pipelines.values.sorted(by: { $0.name < $1.name }) {
                print("\(pipeline.name)\tseal=\(pipeline.seal)\tpdf=\(pipeline.pdfFormat.rawValue)\tofd=\(pipeline.ofdFormat.rawValue)\(pipeline.lock ? (pipeline.lockPDF ? "\tlock" : "\tlock=ofd") : "")")
            }
        }
    }

    /// `sealpress pipeline samples --out DIR [--pdf N] [--ofd N] [--pages N]`: sample documents to try pipelines on.
    struct Samples: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write sample PDF and OFD documents (generated, multi-page) to try pipelines and batches on.",
            discussion: """
                Existing files of the same names are not replaced unless --force is given.

                Example:
                  sealpress pipeline samples --out docs --pdf 10 --ofd 5 --pages 3
                """)

        @Option(help: "Directory to write.") var out: String
        @Flag(help: "Replace sample files that already exist.") var force = false
        @Option(help: "Number of PDF files.") var pdf: Int = 3
        @Option(help: "Number of OFD files.") var ofd: Int = 2
        @Option(help: "Pages per document (OFD n gets n-1 more, so every file differs).") var pages: Int = 2

        func run() throws {
            let directory = URL(fileURLWithPath: out)
            let names = (0..<max(0, pdf)).map { String(format: "licence-%03d.pdf", $0 + 1) }
                + (0..<max(0, ofd)).map { String(format: "declaration-%03d.ofd", $0 + 1) }
            for name in names {
                try OutputFile.checkWritable(directory.appendingPathComponent(name).path, force: force, what: "sample")
            }
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw CouldNotRun("cannot create \(out): \(UserMessage.reason(error))")
            }
            for index in 0..<max(0, pdf) {
                let name = String(format: "licence-%03d.pdf", index + 1)
                try Data(SampleDocuments.pdf(pages: pages, title: "Business licence \(index + 1)"))
                    .write(to: directory.appendingPathComponent(name))
            }
            for index in 0..<max(0, ofd) {
                let name = String(format: "declaration-%03d.ofd", index + 1)
                try Data(try SampleDocuments.ofd(pages: pages + index)).write(to: directory.appendingPathComponent(name))
            }
            print("wrote \(pdf) PDF and \(ofd) OFD sample(s) of \(pages) page(s) to \(directory.path)")
        }
    }
}

private func expand(_ paths: [String]) throws -> [URL] {
    var result: [URL] = []
    for path in paths {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CouldNotRun("no such file: \(path)")
        }
        let url = URL(fileURLWithPath: path)
        if isDirectory.boolValue {
            let files = (try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil))
                .filter { ["yaml", "yml"].contains($0.pathExtension) }
                .sorted { $0.path < $1.path }
            result += files
        } else {
            result.append(url)
        }
    }
    return result
}
