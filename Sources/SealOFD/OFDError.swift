/// An OFD document could not be read or stamped.
///
/// Equality is on ``code`` only; `description` names the problem without document content.
public struct OFDError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable code callers can branch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notAZip, corruptZip, unsupportedCompression, checksumMismatch, tooManyEntries, entryTooLarge
            case suspiciousCompressionRatio, unsafeEntryName, duplicateEntry, missingFile, malformedXML
            case xmlTooLarge, missingOFDXML, malformedDocument, pageNotFound, documentLocked, invalidPlacement
            case invalidSeal, signingFailed, packageTooLarge, keywordNotFound
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The bytes are not a ZIP container (no end-of-central-directory record).
        public static let notAZip = Code(.notAZip)
        /// The ZIP structure is inconsistent (offsets, sizes, headers).
        public static let corruptZip = Code(.corruptZip)
        /// An entry uses a compression method other than stored (0) or deflated (8).
        public static let unsupportedCompression = Code(.unsupportedCompression)
        /// An entry's CRC-32 does not match its data.
        public static let checksumMismatch = Code(.checksumMismatch)
        /// More entries than ``OFDPackageLimits/maxEntries``.
        public static let tooManyEntries = Code(.tooManyEntries)
        /// An entry (or all entries together) would inflate beyond the limits.
        public static let entryTooLarge = Code(.entryTooLarge)
        /// An entry inflates far more than any real document does (a zip bomb).
        public static let suspiciousCompressionRatio = Code(.suspiciousCompressionRatio)
        /// An entry name escapes the package (`../`, absolute paths, drive letters, NUL).
        public static let unsafeEntryName = Code(.unsafeEntryName)
        /// Two entries have the same name: readers could disagree about which one counts.
        public static let duplicateEntry = Code(.duplicateEntry)
        /// A file that the document refers to is not in the package.
        public static let missingFile = Code(.missingFile)
        /// An XML file is not well formed.
        public static let malformedXML = Code(.malformedXML)
        /// An XML file exceeds the size, depth or node limits.
        public static let xmlTooLarge = Code(.xmlTooLarge)
        /// The package has no `OFD.xml` entry point.
        public static let missingOFDXML = Code(.missingOFDXML)
        /// OFD.xml or Document.xml lacks a required part (DocBody, DocRoot, pages).
        public static let malformedDocument = Code(.malformedDocument)
        /// The requested page does not exist.
        public static let pageNotFound = Code(.pageNotFound)
        /// An earlier signature protects Signatures.xml: no further signature may be added.
        public static let documentLocked = Code(.documentLocked)
        /// A placement is outside the page or has a non-positive size.
        public static let invalidPlacement = Code(.invalidPlacement)
        /// The electronic seal cannot be used (unparsable, wrong version, signer not in its list).
        public static let invalidSeal = Code(.invalidSeal)
        /// Building or signing the signature failed.
        public static let signingFailed = Code(.signingFailed)
        /// The package written would exceed what a plain (non-ZIP64) archive can hold.
        public static let packageTooLarge = Code(.packageTooLarge)
        /// A keyword placement found none of its keywords on the searched pages (and had no fallback position).
        public static let keywordNotFound = Code(.keywordNotFound)
    }

    public var code: Code
    /// A sentence about the problem; never document bytes or key material.
    public var reason: String
    public var file: String
    public var line: UInt

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "OFDError.\(code): \(reason)" }

    public static func == (lhs: OFDError, rhs: OFDError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
