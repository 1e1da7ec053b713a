import ElectronicSeal
import Foundation
import SealReport

/// The readable layout of `sealpress seal inspect`: one field per line, labels aligned, then the checks.
enum SealInspectionText {
    static func render(seal: SESeal, signature: SESSignature?, checks: [Check], file: String, size: Int) -> String {
        var lines: [String] = []
        func field(_ label: String, _ value: String, indent: Int = 2) {
            lines.append(String(repeating: " ", count: indent) + label.padding(toLength: 16, withPad: " ", startingAt: 0) + value)
        }
        if let signature {
            let description = SealSignatureDescription(signature)
            lines.append("\(file): seal signature, \(description.standard) (v\(description.layoutVersion)), \(size) bytes")
            field("TBS version", "\(description.tbsVersion)")
            field("signing time", time(description.signingTime))
            field("dataHash", description.dataHash)
            field("propertyInfo", description.propertyInfo)
            field("signer", certificate(description.signer))
            field("algorithm", algorithm(description.signatureAlgorithm, description.signatureAlgorithmName))
            field("signature", "\(description.signatureBytes) bytes")
            field("timestamp", description.hasTimeStamp ? "present" : "none")
            if !description.extensions.isEmpty { field("extensions", extensions(description.extensions)) }
            lines.append("  seal:")
        } else {
            lines.append("\(file): electronic seal, \(seal.version.standard) (v\(seal.version.rawValue)), \(size) bytes")
        }
        let indent = signature == nil ? 2 : 4
        let d = SealDescription(seal)
        field("header", "\(d.headerID) / version \(d.headerVersion) / vendor \(d.vendorID)", indent: indent)
        field("esID", d.esID, indent: indent)
        field("name", d.name, indent: indent)
        field("type", "\(d.type)", indent: indent)
        let listType = d.certListType.map { " (certListType \($0))" } ?? ""
        if !d.certificates.isEmpty {
            field("certificates", "\(d.certificates.count)\(listType)", indent: indent)
            for (index, entry) in d.certificates.enumerated() {
                field("  [\(index + 1)]", certificate(entry), indent: indent)
            }
        } else if !d.certificateDigests.isEmpty {
            field("cert digests", "\(d.certificateDigests.count)\(listType)", indent: indent)
            for (index, entry) in d.certificateDigests.enumerated() {
                field("  [\(index + 1)]", "\(entry.type) \(entry.value)", indent: indent)
            }
        } else {
            field("cert IDs", d.certificateIdentifiers.joined(separator: ", ") + listType, indent: indent)
        }
        field("created", time(d.createDate), indent: indent)
        field("valid from", time(d.validStart), indent: indent)
        field("valid to", time(d.validEnd), indent: indent)
        field("picture", "\(d.picture.type), \(d.picture.bytes) bytes, \(d.picture.widthMM) × \(d.picture.heightMM) mm", indent: indent)
        field("extensions", d.extensions.isEmpty ? "none" : extensions(d.extensions), indent: indent)
        field("maker", certificate(d.maker), indent: indent)
        field("algorithm", algorithm(d.signatureAlgorithm, d.signatureAlgorithmName), indent: indent)
        field("maker sig", "\(d.makerSignatureBytes) bytes", indent: indent)
        if d.hasTimeStamp { field("timestamp", "present", indent: indent) }
        field("SHA-256", d.sha256, indent: indent)
        lines.append("  checks:")
        for check in checks {
            lines.append("    \(mark(check.status)) \(check.name)\(check.reason.map { ": \($0)" } ?? "")")
        }
        let verdict = Verdict(checks: checks)
        let name = verdict.indication.rawValue.uppercased()
        lines.append("  verdict: " + (verdict.subIndication.map { "\(name) (\($0))" } ?? name))
        return lines.joined(separator: "\n")
    }

    private static func time(_ time: SealDescription.TimeDescription) -> String {
        guard let date = time.date else { return "\(time.text) (unreadable)" }
        let iso = ISO8601DateFormatter().string(from: date)
        return "\(iso)  [\(time.encoding.rawValue) \"\(time.text)\"\(time.assumedZone ? ", no zone: UTC+8 assumed" : "")]"
    }

    private static func certificate(_ entry: SealDescription.CertificateDescription) -> String {
        guard !entry.unreadable else { return "(not an X.509 certificate) sha256 \(entry.sha256)" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        let from = entry.notBefore.map { formatter.string(from: $0) } ?? "?"
        let to = entry.notAfter.map { formatter.string(from: $0) } ?? "?"
        return "\(entry.subject ?? "?") | serial \(entry.serialNumber ?? "?") | \(from) … \(to) | \(entry.keyAlgorithm ?? "?")"
    }

    private static func algorithm(_ oid: String, _ name: String?) -> String {
        name.map { "\($0) (\(oid))" } ?? oid
    }

    private static func extensions(_ list: [SealDescription.ExtensionEntry]) -> String {
        list.map { "\($0.oid)\($0.critical ? " critical" : "") \($0.valueBytes) bytes" }.joined(separator: "; ")
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
