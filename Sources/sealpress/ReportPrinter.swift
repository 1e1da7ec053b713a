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
