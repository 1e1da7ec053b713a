public import Foundation

/// The report for one signature (a PDF signature field, an OFD `Signature.xml`).
public struct SignatureReport: Codable, Sendable, Hashable {
    /// Identifier inside the document: the PDF field name, the OFD signature ID.
    public var id: String
    /// What kind of signature this is, e.g. `pdf.pades`, `pdf.pkcs7`, `pdf.sm2`, `pdf.ses`, `pdf.x509.rsa_sha1`, `ofd.seal`, `ofd.sign`.
    public var format: String
    /// Signature algorithm as a name, e.g. `SM2-SM3`, `RSA-SHA256`, `ECDSA-SHA256`.
    public var algorithm: String?
    /// Signer certificate subject (as printed by the certificate), if known.
    public var signer: String?
    /// Signer certificate serial number (hex), if known.
    public var signerSerial: String?
    /// Seal name and esID for seal signatures.
    public var sealName: String?
    public var sealID: String?
    /// The claimed signing time (from signed attributes, the SES `timeInfo`, or a timestamp).
    public var signingTime: Date?
    /// Whether a trusted timestamp proves the signing time.
    public var timestamped: Bool
    /// Every check that ran, in order.
    public var checks: [Check]
    /// Integrity only: digests, signature value, structure, later modifications.
    public var integrity: Verdict
    /// Trust only: certificates, chains, seal validity, timestamps.
    public var trust: Verdict
    /// The overall ETSI outcome for this signature.
    public var verdict: Verdict
    /// Deviations from the standard the verifier tolerated to read this signature (e.g. a CheckMethod written as a
    /// name, a signing time as a Unix epoch), one sentence each. A quirk never passes a broken signature: what it
    /// does to the verdict is in ``checks``. Absent from older stored reports (read as empty).
    public var quirks: [String] = []

    public init(
        id: String, format: String, algorithm: String? = nil, signer: String? = nil, signerSerial: String? = nil,
        sealName: String? = nil, sealID: String? = nil, signingTime: Date? = nil, timestamped: Bool = false,
        checks: [Check]
    ) {
        self.id = id
        self.format = format
        self.algorithm = algorithm
        self.signer = signer
        self.signerSerial = signerSerial
        self.sealName = sealName
        self.sealID = sealID
        self.signingTime = signingTime
        self.timestamped = timestamped
        self.checks = checks
        self.integrity = Verdict(checks: checks.filter { $0.category == .integrity })
        self.trust = Verdict(checks: checks.filter { $0.category == .trust })
        self.verdict = Verdict(checks: checks)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        format = try container.decode(String.self, forKey: .format)
        algorithm = try container.decodeIfPresent(String.self, forKey: .algorithm)
        signer = try container.decodeIfPresent(String.self, forKey: .signer)
        signerSerial = try container.decodeIfPresent(String.self, forKey: .signerSerial)
        sealName = try container.decodeIfPresent(String.self, forKey: .sealName)
        sealID = try container.decodeIfPresent(String.self, forKey: .sealID)
        signingTime = try container.decodeIfPresent(Date.self, forKey: .signingTime)
        timestamped = try container.decode(Bool.self, forKey: .timestamped)
        checks = try container.decode([Check].self, forKey: .checks)
        integrity = try container.decode(Verdict.self, forKey: .integrity)
        trust = try container.decode(Verdict.self, forKey: .trust)
        verdict = try container.decode(Verdict.self, forKey: .verdict)
        quirks = try container.decodeIfPresent([String].self, forKey: .quirks) ?? []
    }
}

/// The report for one document: every signature, document-level checks, and the overall ETSI outcome.
///
/// This one type is what `sealpress verify --json` prints, what a verify job stores, and what the demo summarises.
public struct VerificationReport: Codable, Sendable, Hashable {
    /// `pdf` or `ofd`.
    public var format: String
    /// SHA-256 of the verified bytes (hex), so a report names what it judged without carrying content.
    public var documentSHA256: String?
    public var signatures: [SignatureReport]
    /// Checks about the document as a whole: later revisions, coverage, unsigned files, structure.
    public var documentChecks: [Check]
    public var integrity: Verdict
    public var trust: Verdict
    public var verdict: Verdict
    public var verifiedAt: Date

    public init(
        format: String, documentSHA256: String? = nil, signatures: [SignatureReport], documentChecks: [Check] = [],
        verifiedAt: Date = Date()
    ) {
        self.format = format
        self.documentSHA256 = documentSHA256
        self.signatures = signatures
        self.documentChecks = documentChecks
        self.verifiedAt = verifiedAt
        let all = signatures.flatMap(\.checks) + documentChecks
        var overall = Verdict(checks: all)
        if signatures.isEmpty && overall.indication == .passed {
            overall = Verdict(
                indication: .indeterminate, subIndication: .signedDataNotFound,
                reasons: ["the document carries no signature"])
        }
        self.integrity = Verdict(checks: all.filter { $0.category == .integrity })
        self.trust = Verdict(checks: all.filter { $0.category == .trust })
        self.verdict = overall
    }

    /// The overall outcome.
    public var indication: Indication { verdict.indication }

    /// JSON with ISO 8601 dates: pretty and deterministic (sorted keys) for `--json` and golden files, compact for
    /// the JSONB report column of job outputs.
    public func jsonData(pretty: Bool = true) throws -> Data {
        // Compact: written directly, the same bytes as JSONEncoder's with sorted keys (``compactJSON()``).
        if !pretty { return Data(compactJSON()) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    public static func decode(json: Data) throws -> VerificationReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(VerificationReport.self, from: json)
    }
}

extension VerificationReport {
    /// Adds a document check and recomputes the verdicts (a report is a value: its verdicts follow its checks).
    public mutating func append(_ check: Check) {
        self = VerificationReport(
            format: format, documentSHA256: documentSHA256, signatures: signatures,
            documentChecks: documentChecks + [check], verifiedAt: verifiedAt)
    }
}
