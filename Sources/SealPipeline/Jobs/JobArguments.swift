import Foundation

/// Why a job's arguments were refused, at enqueue (`sealpress enqueue`) or when a worker decodes them.
public struct JobArgumentsError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case invalidArguments, unknownPipeline }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// Not a JSON object of the kind's shape (a field missing, empty or of the wrong type).
        public static let invalidArguments = Code(.invalidArguments)
        /// The pipeline named is not among the pipelines loaded.
        public static let unknownPipeline = Code(.unknownPipeline)
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }

    public static func == (lhs: JobArgumentsError, rhs: JobArgumentsError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// The arguments of a `stamp` job, shared by every producer in Swift (`sealpress enqueue stamp`) and the
/// ``StampHandler``: `{"pipeline": "business-licence", "principal": "licence-office"}`. The input document is the
/// job's document, not an argument. Producers in SQL are held to the same contract by `sealpress.enqueue`
/// (a document, and non-empty `pipeline` and `principal` strings).
public struct StampJobArguments: Codable, Sendable, Hashable {
    /// The job kind these arguments belong to.
    public static let kind = "stamp"

    /// The pipeline (a YAML file's `name`) the worker applies.
    public var pipeline: String
    /// Who the stamp is made for; must hold a grant for the pipeline's seal.
    public var principal: String
    /// The password of an encrypted input, by reference (`env:NAME` or `file:PATH` on the worker; JSON
    /// `password_ref`), overriding the pipeline's; never a password.
    public var passwordRef: String?

    enum CodingKeys: String, CodingKey {
        case pipeline, principal
        case passwordRef = "password_ref"
    }

    public init(pipeline: String, principal: String, passwordRef: String? = nil) {
        self.pipeline = pipeline
        self.principal = principal
        self.passwordRef = passwordRef
    }

    /// Decodes and checks a job's `args`.
    public init(json: String) throws(JobArgumentsError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(json.utf8))
        } catch {
            throw JobArgumentsError(
                .invalidArguments,
                "a stamp job's args must be {\"pipeline\": …, \"principal\": …} (two strings; optional \"password_ref\")")
        }
        try validate()
    }

    /// The `args` JSON object (sorted keys).
    public var json: String { JobArgumentsCoding.json(self) }

    /// Throws unless both fields are non-empty and, when `pipelines` is given, the pipeline is one of them.
    public func validate(knownPipelines pipelines: [String]? = nil) throws(JobArgumentsError) {
        guard !pipeline.isEmpty else { throw JobArgumentsError(.invalidArguments, "a stamp job needs args.pipeline") }
        guard !principal.isEmpty else {
            throw JobArgumentsError(.invalidArguments, "a stamp job needs args.principal (who the stamp is made for)")
        }
        // Never echo the value: it may be a password written where its reference belongs.
        if let passwordRef, PasswordReference(passwordRef) == nil {
            throw JobArgumentsError(
                .invalidArguments, "args.password_ref must be env:NAME or file:PATH (a reference, never the password)")
        }
        if let pipelines, !pipelines.contains(pipeline) {
            throw JobArgumentsError(
                .unknownPipeline,
                "no pipeline named '\(pipeline)' (known: \(pipelines.sorted().joined(separator: ", ")))")
        }
    }
}

/// The arguments of a `verify` job: the input document is the job's document; optionally the pipeline whose
/// `status_services` the verification consults (`{"pipeline": "contract"}`, `sealpress enqueue verify --pipeline`).
/// `{}` verifies with the worker's settings only.
public struct VerifyJobArguments: Codable, Sendable, Hashable {
    /// The job kind these arguments belong to.
    public static let kind = "verify"

    /// The pipeline (a YAML file's `name`) whose verification settings apply; nil: the worker's only.
    public var pipeline: String?

    public init(pipeline: String? = nil) {
        self.pipeline = pipeline
    }

    /// Decodes a job's `args` (any JSON object; `pipeline`, when present, a non-empty string).
    public init(json: String) throws(JobArgumentsError) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else {
            throw JobArgumentsError(.invalidArguments, "a verify job's args must be a JSON object")
        }
        switch object["pipeline"] {
        case nil, is NSNull: pipeline = nil
        case let name as String where !name.isEmpty: pipeline = name
        default:
            throw JobArgumentsError(
                .invalidArguments, "a verify job's args.pipeline must be a pipeline's name (a non-empty string)")
        }
    }

    /// The `args` JSON object (`{}` without a pipeline).
    public var json: String { JobArgumentsCoding.json(self) }

    /// Throws when `pipelines` are given and the pipeline named is not one of them.
    public func validate(knownPipelines pipelines: [String]? = nil) throws(JobArgumentsError) {
        if let pipeline, let pipelines, !pipelines.contains(pipeline) {
            throw JobArgumentsError(
                .unknownPipeline,
                "no pipeline named '\(pipeline)' (known: \(pipelines.sorted().joined(separator: ", ")))")
        }
    }
}

enum JobArgumentsCoding {
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding two strings cannot fail.
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension PipelineJobs {
    /// Checks `argsJSON` against the contract of `kind` (stamp, verify; other kinds pass), with the pipeline
    /// named by a stamp or verify job among `pipelines` when they are given. Producers call it before enqueueing.
    public static func validateArguments(
        kind: String, argsJSON: String, pipelines: [String]? = nil
    ) throws(JobArgumentsError) {
        switch kind {
        case StampJobArguments.kind: try StampJobArguments(json: argsJSON).validate(knownPipelines: pipelines)
        case VerifyJobArguments.kind: try VerifyJobArguments(json: argsJSON).validate(knownPipelines: pipelines)
        default: break
        }
    }
}
