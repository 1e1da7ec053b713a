/// An error from SealCrypto: something could not be run (bad input, unsupported algorithm, OpenSSL failure).
///
/// Verification *outcomes* are values (``ChainValidation``, ``CMSVerification``, ``TimeStampVerification``);
/// this error means the operation could not be carried out at all. Equality compares ``code`` only.
/// `description` names the code and a short reason, never key material or document bytes.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A stable error code; new codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case openSSL, unsupportedAlgorithm, invalidKey, invalidPEM, malformedDER, wrongPassword
            case malformedCertificate, malformedCRL, malformedOCSP, malformedCMS, malformedTimeStamp, signingFailed
            case network, invalidArgument, io, keyUnavailable
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// An OpenSSL call failed (the drained error queue is in `debugDescription`).
        public static let openSSL = Code(.openSSL)
        /// The algorithm, key type or parameter is not supported here.
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)
        /// The key could not be loaded or does not fit the operation.
        public static let invalidKey = Code(.invalidKey)
        /// The PEM text is not what was expected.
        public static let invalidPEM = Code(.invalidPEM)
        /// DER input is malformed (truncated, wrong tags, bad lengths, nesting too deep).
        public static let malformedDER = Code(.malformedDER)
        /// A password is missing or wrong.
        public static let wrongPassword = Code(.wrongPassword)
        /// An X.509 certificate could not be parsed.
        public static let malformedCertificate = Code(.malformedCertificate)
        /// A CRL could not be parsed.
        public static let malformedCRL = Code(.malformedCRL)
        /// An OCSP request or response could not be parsed or built.
        public static let malformedOCSP = Code(.malformedOCSP)
        /// A CMS structure could not be parsed or built.
        public static let malformedCMS = Code(.malformedCMS)
        /// An RFC 3161 request, response or token could not be parsed.
        public static let malformedTimeStamp = Code(.malformedTimeStamp)
        /// A signer failed to produce a signature.
        public static let signingFailed = Code(.signingFailed)
        /// A network exchange (time-stamp authority) failed.
        public static let network = Code(.network)
        /// An argument is out of range or inconsistent.
        public static let invalidArgument = Code(.invalidArgument)
        /// A file or socket operation failed.
        public static let io = Code(.io)
        /// The signing key's device or service is not reachable now (token removed, session closed, module
        /// error): the same request may succeed later, so a stamp job is retried.
        public static let keyUnavailable = Code(.keyUnavailable)
        /// True for failures a retry may cure without anybody changing anything (network, key device).
        public var isTransient: Bool { self == .network || self == .keyUnavailable }

        public var description: String { base.rawValue }
    }

    /// What went wrong, as a stable code.
    public let code: Code
    /// A short reason without secrets or document bytes.
    public let reason: String
    /// OpenSSL's error queue at the time of the failure, if any (may name internal functions).
    public let detail: String
    public let file: String
    public let line: UInt

    public init(_ code: Code, _ reason: String, detail: String = "", file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.detail = detail
        self.file = file
        self.line = line
    }

    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(code) }

    public var description: String { "CryptoError.\(code): \(reason)" }
    public var debugDescription: String {
        "CryptoError.\(code): \(reason)\(detail.isEmpty ? "" : " [\(detail)]") (\(file):\(line))"
    }
}
