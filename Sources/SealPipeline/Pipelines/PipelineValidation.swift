public import Foundation

/// The one set of rules for a set of pipeline files, used by `sealpress pipeline check` and by the worker alike:
/// every file must load (``PipelineLoader/load(contentsOf:)``: keys, values, placements, lock), and no two files may
/// define the same pipeline name.
public enum PipelineValidation {
    /// What a set of files holds: the pipelines that loaded (keyed by name) and every problem, file by file.
    public struct Result: Sendable {
        public var pipelines: [String: Pipeline]
        /// Pipelines in file order, with the file each came from.
        public var loaded: [(source: String, pipeline: Pipeline)]
        public var problems: [PipelineProblems]

        public var isValid: Bool { problems.isEmpty }
    }

    /// The `*.yaml` / `*.yml` files of a directory, sorted by path.
    public static func files(in directory: URL) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { ["yaml", "yml"].contains($0.pathExtension) }
            .sorted { $0.path < $1.path }
    }

    /// Loads and checks `files` together. A pipeline whose name another file already defines is a problem of the
    /// later file and is left out.
    public static func validate(files: [URL]) -> Result {
        var result = Result(pipelines: [:], loaded: [], problems: [])
        var sources: [String: String] = [:]
        for file in files {
            let pipeline: Pipeline
            do {
                pipeline = try PipelineLoader.load(contentsOf: file)
            } catch {
                result.problems.append(error)
                continue
            }
            if let first = sources[pipeline.name] {
                result.problems.append(PipelineProblems(
                    source: file.path,
                    problems: [PipelineProblem(
                        line: nil, column: nil,
                        message: "duplicate pipeline name '\(pipeline.name)': \(first) already defines it")]))
                continue
            }
            sources[pipeline.name] = file.path
            result.pipelines[pipeline.name] = pipeline
            result.loaded.append((file.path, pipeline))
        }
        return result
    }
}
