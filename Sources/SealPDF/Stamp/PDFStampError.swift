/// Why a PDF could not be stamped. Compare by ``code``; ``description`` never carries document content.
public struct PDFStampError: Error, Hashable, CustomStringConvertible {
    /// Stable reason codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreadableDocument, badPlacement, noSuchPage, encryptedNeedsPassword, lockedByCertification,
                fieldExists, badImage, signingFailed, reservationTooSmall, unsupportedFormat, badSeal,
                wrongPassword, keywordNotFound, validationDataMissing, timestampFailed
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The PDF could not be parsed (see the reason for the reader's error).
        public static let unreadableDocument = Code(.unreadableDocument)
        /// The rectangle is empty or does not fit on the page.
        public static let badPlacement = Code(.badPlacement)
        /// The requested page does not exist.
        public static let noSuchPage = Code(.noSuchPage)
        /// The document is encrypted and the password is missing or wrong.
        public static let encryptedNeedsPassword = Code(.encryptedNeedsPassword)
        /// The document is encrypted and the password given opens it neither as user nor as owner.
        public static let wrongPassword = Code(.wrongPassword)
        /// A certification signature (DocMDP P=1) forbids any further signature.
        public static let lockedByCertification = Code(.lockedByCertification)
        /// A field with the requested name already exists.
        public static let fieldExists = Code(.fieldExists)
        /// The seal picture could not be decoded.
        public static let badImage = Code(.badImage)
        /// The signer or the CMS/SES builder failed.
        public static let signingFailed = Code(.signingFailed)
        /// The signature came out larger than its reserved /Contents (a sizing bug; never patched over).
        public static let reservationTooSmall = Code(.reservationTooSmall)
        /// The requested signature format does not fit the key (e.g. SM2 format with an RSA key).
        public static let unsupportedFormat = Code(.unsupportedFormat)
        /// The electronic seal (SESeal) could not be parsed.
        public static let badSeal = Code(.badSeal)
        /// A keyword placement found none of its keywords on the searched pages (and had no fallback position).
        public static let keywordNotFound = Code(.keywordNotFound)
        /// PAdES B-LT/B-LTA: a certificate's revocation status (CRL/OCSP) could not be had to embed.
        public static let validationDataMissing = Code(.validationDataMissing)
        /// The time-stamping authority gave no usable token for a document timestamp.
        public static let timestampFailed = Code(.timestampFailed)
    }

    public var code: Code
    public var reason: String
    public var file: String
    public var line: UInt

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "PDFStampError.\(code): \(reason)" }

    public static func == (lhs: PDFStampError, rhs: PDFStampError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
