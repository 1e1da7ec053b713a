/// An error from SealCompression; equality compares ``code`` only.
package struct ZlibError: Error, Hashable, Sendable, CustomStringConvertible {
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case truncated, corrupt, outputLimitExceeded, outOfMemory }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The compressed data ends before its stream does.
        package static let truncated = Code(.truncated)
        /// The compressed data is not valid, or its checksum does not match.
        package static let corrupt = Code(.corrupt)
        /// The data inflates to more than the caller allowed.
        package static let outputLimitExceeded = Code(.outputLimitExceeded)
        /// zlib could not allocate its state.
        package static let outOfMemory = Code(.outOfMemory)

        package var description: String { base.rawValue }
    }

    package let code: Code
    package let reason: String

    package init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    package static func == (lhs: ZlibError, rhs: ZlibError) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }
    package var description: String { "ZlibError.\(code): \(reason)" }
}
