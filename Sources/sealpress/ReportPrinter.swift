import Foundation
import SealReport

/// Renders a ``VerificationReport`` for people: one block per signature, every non-passing check with its reason.
enum ReportPrinter {
    static func text(_ report: VerificationReport, file: String) -> String {
        var lines: [String] = []
        let overall = report.verdict
        lines.append("\(file): \(label(overall))")
        lines.append("  integrity: \(label(report.integrity))   trust: \(label(report.trust))")
        for signature in report.signatures {
            var title = "  signature \(signature.id) [\(signature.format)]"
            if let algorithm = signature.algorithm { title += " \(algorithm)" }
            lines.append(title + ": \(label(signature.verdict))")
            if let signer = signature.signer { lines.append("    signer: \(signer)") }
            if let seal = signature.sealName { lines.append("    seal: \(seal)\(signature.sealID.map { " (\($0))" } ?? "")") }
            if let time = signature.signingTime {
                lines.append("    signed at: \(ISO8601DateFormatter().string(from: time))\(signature.timestamped ? " (timestamped)" : "")")
            }
            for check in signature.checks {
                lines.append("    \(mark(check.status)) \(check.name)\(check.reason.map { ": \($0)" } ?? "")")
            }
        }
        for check in report.documentChecks {
            lines.append("  \(mark(check.status)) \(check.name)\(check.reason.map { ": \($0)" } ?? "")")
        }
        if report.signatures.isEmpty { lines.append("  no signatures found") }
        return lines.joined(separator: "\n")
    }

    private static func label(_ verdict: Verdict) -> String {
        let name = verdict.indication.rawValue.uppercased()
        return verdict.subIndication.map { "\(name) (\($0))" } ?? name
    }

    private static func mark(_ status: Check.Status) -> String {
        switch status {
        case .passed: "ok  "
        case .failed: "FAIL"
        case .indeterminate: "??  "
        case .skipped: "--  "
        case .warning: "warn"
        }
    }
}

/// `sealpress verify --json`: the ``VerificationReport`` with every key present for every format (absent values are
/// `null`), so a PDF and an OFD report have the same shape; numbers and booleans stay typed.
struct ReportJSON: Encodable {
    let report: VerificationReport

    private enum Keys: String, CodingKey {
        case format, documentSHA256, signatures, documentChecks, integrity, trust, verdict, verifiedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(report.format, forKey: .format)
        try container.encode(report.documentSHA256, forKey: .documentSHA256)
        try container.encode(report.signatures.map(SignatureJSON.init), forKey: .signatures)
        try container.encode(report.documentChecks.map(CheckJSON.init), forKey: .documentChecks)
        try container.encode(VerdictJSON(report.integrity), forKey: .integrity)
        try container.encode(VerdictJSON(report.trust), forKey: .trust)
        try container.encode(VerdictJSON(report.verdict), forKey: .verdict)
        try container.encode(report.verifiedAt, forKey: .verifiedAt)
    }

    /// Pretty, sorted, ISO 8601 dates: as `VerificationReport.jsonData()`.
    func data() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    private struct SignatureJSON: Encodable {
        let signature: SignatureReport
        init(_ signature: SignatureReport) { self.signature = signature }

        private enum Keys: String, CodingKey {
            case id, format, algorithm, signer, signerSerial, sealName, sealID, signingTime, timestamped, checks
            case integrity, trust, verdict
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(signature.id, forKey: .id)
            try container.encode(signature.format, forKey: .format)
            try container.encode(signature.algorithm, forKey: .algorithm)
            try container.encode(signature.signer, forKey: .signer)
            try container.encode(signature.signerSerial, forKey: .signerSerial)
            try container.encode(signature.sealName, forKey: .sealName)
            try container.encode(signature.sealID, forKey: .sealID)
            try container.encode(signature.signingTime, forKey: .signingTime)
            try container.encode(signature.timestamped, forKey: .timestamped)
            try container.encode(signature.checks.map(CheckJSON.init), forKey: .checks)
            try container.encode(VerdictJSON(signature.integrity), forKey: .integrity)
            try container.encode(VerdictJSON(signature.trust), forKey: .trust)
            try container.encode(VerdictJSON(signature.verdict), forKey: .verdict)
        }
    }

    private struct CheckJSON: Encodable {
        let check: Check
        init(_ check: Check) { self.check = check }
        private enum Keys: String, CodingKey { case name, category, status, subIndication, reason }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(check.name, forKey: .name)
            try container.encode(check.category, forKey: .category)
            try container.encode(check.status, forKey: .status)
            try container.encode(check.subIndication, forKey: .subIndication)
            try container.encode(check.reason, forKey: .reason)
        }
    }

    private struct VerdictJSON: Encodable {
        let verdict: Verdict
        init(_ verdict: Verdict) { self.verdict = verdict }
        private enum Keys: String, CodingKey { case indication, subIndication, reasons }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(verdict.indication, forKey: .indication)
            try container.encode(verdict.subIndication, forKey: .subIndication)
            try container.encode(verdict.reasons, forKey: .reasons)
        }
    }
}
