public import Foundation

/// Where the worker finds the password of encrypted inputs (pipeline YAML `password_ref`): `env:NAME` (an
/// environment variable of the worker) or `file:PATH` (a file on the worker, one trailing line break ignored).
///
/// Only the reference travels (pipeline files, logs, errors); the password itself is read on the worker when a job
/// needs it and is never written to job arguments, the database, logs or metrics.
public struct PasswordReference: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Source: Sendable, Hashable, Codable {
        case environment(String)
        case file(String)
    }

    public var source: Source

    public init(source: Source) { self.source = source }

    /// Parses `env:NAME` or `file:PATH`; nil for anything else.
    public init?(_ text: String) {
        if text.hasPrefix("env:"), case let name = String(text.dropFirst(4)),
            name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil
        {
            source = .environment(name)
        } else if text.hasPrefix("file:"), text.count > 5 {
            source = .file(String(text.dropFirst(5)))
        } else {
            return nil
        }
    }

    /// The reference as written (never the password).
    public var description: String {
        switch source {
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        }
    }

    /// The password, read now.
    ///
    /// - Throws: ``PasswordReferenceError`` naming the variable or file that cannot be had (never a value).
    public func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PasswordReferenceError) -> String {
        switch source {
        case .environment(let name):
            guard let value = environment[name] else {
                throw PasswordReferenceError(.variableNotSet, "the password variable \(name) (password_ref: \(self)) is not set on this worker")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path),
                var text = String(data: data, encoding: .utf8)
            else {
                throw PasswordReferenceError(.fileUnreadable, "the password file \(path) (password_ref: \(self)) cannot be read on this worker")
            }
            // One trailing line break ("\r\n" is a single Character).
            if let last = text.last, last == "\n" || last == "\r\n" { text.removeLast() }
            return text
        }
    }
}

/// A password reference that does not lead to a password on this worker. Equality is on ``code``; the reason
/// names the variable or file, never a value.
public struct PasswordReferenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case variableNotSet, fileUnreadable }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// `env:NAME` and the worker has no variable NAME.
        public static let variableNotSet = Code(.variableNotSet)
        /// `file:PATH` and the file cannot be read as UTF-8 on the worker.
        public static let fileUnreadable = Code(.fileUnreadable)
    }

    public var code: Code
    public var reason: String
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }
    public var description: String { reason }

    public static func == (lhs: PasswordReferenceError, rhs: PasswordReferenceError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(code) }
}
