import Foundation
import SealCrypto
import SealReport

/// Certificate checks shared by seal and plain signatures: chains against a trust store at a time, and
/// validity periods when no trust store is given.
enum OFDTrustChecks {
    /// Checks `certificate` at `time`: chain to a trust anchor when `trust` is given, else only its validity
    /// period (reported as indeterminate: without anchors nothing proves who the signer is).
    static func chain(
        _ name: String, of role: String, certificate: Certificate, extra: [Certificate], trust: TrustStore?, at time: Date
    ) -> Check {
        guard let trust else {
            if !certificate.isValid(at: time) {
                return .indeterminate(
                    name, .trust, .outOfBoundsNoPOE,
                    "the \(role) certificate was not valid at \(iso(time)) (valid \(iso(certificate.notBefore)) to "
                        + "\(iso(certificate.notAfter))), and no trust anchors were given")
            }
            return .indeterminate(
                name, .trust, .noCertificateChainFound,
                "no trust anchors were given: the \(role) certificate (\(certificate.subject)) cannot be traced to a "
                    + "trusted root")
        }
        let validation = trust.validate(certificate, intermediates: extra, at: time)
        if validation.isValid {
            return .passed(
                name, .trust,
                "the \(role) certificate chains to \(validation.trustAnchor?.subject ?? "a trusted root") at \(iso(time))")
        }
        let reasons = validation.failures.map(\.description).joined(separator: "; ")
        for failure in validation.failures {
            switch failure {
            case .revoked: return .failed(name, .trust, .revoked, "the \(role) certificate: \(reasons)")
            case .badSignature: return .failed(name, .trust, .sigCryptoFailure, "the \(role) certificate: \(reasons)")
            default: continue
            }
        }
        for failure in validation.failures {
            switch failure {
            case .untrusted:
                return .indeterminate(name, .trust, .noCertificateChainFound, "the \(role) certificate: \(reasons)")
            case .expired, .notYetValid:
                return .indeterminate(name, .trust, .outOfBoundsNoPOE, "the \(role) certificate: \(reasons)")
            default: continue
            }
        }
        return .indeterminate(name, .trust, .chainConstraintsFailure, "the \(role) certificate: \(reasons)")
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
