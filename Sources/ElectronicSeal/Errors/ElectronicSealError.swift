/// Why an electronic seal or seal signature could not be read or built.
///
/// Equality is on ``code`` only, so callers and tests match on the kind of failure
/// (`#expect(throws: ElectronicSealError.Code.malformedEncoding)` style) without depending on wording.
/// ``description`` never contains seal bytes, names or certificate content.
public struct ElectronicSealError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case malformedEncoding
            case unexpectedStructure
            case unsupportedVersion
            case notASealSignature
            case invalidValue
            case invalidParameter
            case signingFailed
            case signerNotInSeal
            case sealNotValid
            case sealExpired
            case sealNotYetValid
            case sealVersionMismatch
            case keyDoesNotMatchCertificate
            case signerHasNoCertificate
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The bytes are not well-formed BER/DER: truncated, a length beyond the input, nesting too deep, trailing data.
        public static let malformedEncoding = Code(.malformedEncoding)
        /// Well-formed ASN.1, but not the SEQUENCE the standard describes (wrong tag, missing or extra field).
        public static let unexpectedStructure = Code(.unexpectedStructure)
        /// A structure that parses but announces a version this library does not know.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The bytes are a GB/T 35275 `ContentInfo` (an OFD `Type="Sign"` signature), not an `SES_Signature`.
        public static let notASealSignature = Code(.notASealSignature)
        /// A field holds a value that cannot be understood (a time that is not a time, an integer too large).
        public static let invalidValue = Code(.invalidValue)
        /// A builder was given something the standard does not allow (an empty name, a picture type that is not IA5).
        public static let invalidParameter = Code(.invalidParameter)
        /// The signer or timestamp authority refused or failed.
        public static let signingFailed = Code(.signingFailed)
        /// The signer's certificate is not one the seal admits (not in its certificate list).
        public static let signerNotInSeal = Code(.signerNotInSeal)
        /// The seal is outside its validity period at the signing time, or its maker signature does not verify.
        public static let sealNotValid = Code(.sealNotValid)
        /// The signing time is after the seal's `validEnd`.
        public static let sealExpired = Code(.sealExpired)
        /// The signing time is before the seal's `validStart`.
        public static let sealNotYetValid = Code(.sealNotYetValid)
        /// The seal's version does not fit the signature that would carry it (a v1 seal in a v4 signature).
        public static let sealVersionMismatch = Code(.sealVersionMismatch)
        /// The signing key is not the key of the certificate given with it.
        public static let keyDoesNotMatchCertificate = Code(.keyDoesNotMatchCertificate)
        /// The signer has no certificate to match against the seal.
        public static let signerHasNoCertificate = Code(.signerHasNoCertificate)

        /// True for the refusals of ``SealPolicy``: the seal may not be used by this signer at this time.
        public var isPolicyRefusal: Bool {
            switch base {
            case .signerNotInSeal, .sealNotValid, .sealExpired, .sealNotYetValid, .sealVersionMismatch,
                .keyDoesNotMatchCertificate, .signerHasNoCertificate:
                true
            default: false
            }
        }

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// A sentence about what went wrong and where (field names, never field content).
    public var reason: String
    public var file: String
    public var line: UInt

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "\(code): \(reason)" }

    public static func == (lhs: ElectronicSealError, rhs: ElectronicSealError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(code) }

    static func malformed(_ reason: String, file: String = #fileID, line: UInt = #line) -> ElectronicSealError {
        ElectronicSealError(.malformedEncoding, reason, file: file, line: line)
    }

    static func structure(_ reason: String, file: String = #fileID, line: UInt = #line) -> ElectronicSealError {
        ElectronicSealError(.unexpectedStructure, reason, file: file, line: line)
    }

    static func value(_ reason: String, file: String = #fileID, line: UInt = #line) -> ElectronicSealError {
        ElectronicSealError(.invalidValue, reason, file: file, line: line)
    }

    static func parameter(_ reason: String, file: String = #fileID, line: UInt = #line) -> ElectronicSealError {
        ElectronicSealError(.invalidParameter, reason, file: file, line: line)
    }
}
