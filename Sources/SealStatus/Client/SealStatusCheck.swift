public import Foundation
public import SealReport

/// The `sealStatus` check: what the issuer's status service says about a signature's seal at its signing time.
///
/// - revoked, suspended or cancelled at or before the signing time → failed (REVOKED);
/// - signed outside the seal's validity → failed (SIG_CONSTRAINTS_FAILURE);
/// - a state entered after the signing time → passed, the state named in the reason;
/// - no service answered, or its signature did not verify → indeterminate (TRY_LATER), with the reason;
/// - no signing time to compare with while the seal is not active → indeterminate;
/// - a signature without a seal (no esID) → skipped.
public enum SealStatusCheck {
    public static let name = "sealStatus"

    /// The check for one signature, given the services' answer for its seal.
    public static func evaluate(
        _ answer: SealStatusClient.Answer, esID: String, signingTime: Date?
    ) -> Check {
        switch answer {
        case .unavailable(let error):
            let reason = error.code == .unknownSeal
                ? "no status service knows seal \(esID): \(error.reason)"
                : "the seal's status could not be checked: \(error.reason)"
            return .indeterminate(name, .trust, .tryLater, reason)
        case .status(let document, let service, _):
            return evaluate(document, signingTime: signingTime, service: service.host ?? service.absoluteString)
        }
    }

    /// The check for a verified status document.
    public static func evaluate(_ document: SealStatusDocument, signingTime: Date?, service: String) -> Check {
        let current = document.state.rawValue
        guard let signingTime else {
            if document.state == .active && document.stateChanges.allSatisfy({ $0.state == .active }) {
                return .passed(name, .trust, "seal \(document.esID) is active and never changed state (\(service))")
            }
            return .indeterminate(
                name, .trust, .noPOE,
                "seal \(document.esID) is now \(current) and the signature has no signing time to compare with")
        }
        let at = StatusJSON.format(signingTime)
        if signingTime < document.validFrom || signingTime > document.validTo {
            return .failed(
                name, .trust, .sigConstraintsFailure,
                "seal \(document.esID) was not valid at the signing time \(at) (valid "
                    + "\(StatusJSON.format(document.validFrom)) … \(StatusJSON.format(document.validTo)))")
        }
        let stateThen = document.registryState(at: signingTime)
        if let stateThen, [.suspended, .revoked, .cancelled].contains(stateThen) {
            let since = document.stateChanges.last(where: { $0.at <= signingTime }).map { StatusJSON.format($0.at) } ?? ""
            return .failed(
                name, .trust, .revoked,
                "seal \(document.esID) was \(stateThen.rawValue) since \(since), before the signing time \(at) (\(service))")
        }
        if document.state == .active {
            return .passed(name, .trust, "seal \(document.esID) is active (\(service))")
        }
        let since = StatusJSON.format(document.stateChangedAt)
        return .passed(
            name, .trust,
            "seal \(document.esID) is now \(current) (since \(since)), after the signing time \(at) (\(service))")
    }

    /// The report with a `sealStatus` check on every signature, asking `lookup` once per esID.
    public static func apply(
        to report: VerificationReport, lookup: (String) -> SealStatusClient.Answer
    ) -> VerificationReport {
        var answers: [String: SealStatusClient.Answer] = [:]
        var signatures = report.signatures
        for (index, signature) in signatures.enumerated() {
            let check: Check
            if let esID = signature.sealID, !esID.isEmpty {
                let answer = answers[esID] ?? lookup(esID)
                answers[esID] = answer
                check = evaluate(answer, esID: esID, signingTime: signature.signingTime)
            } else {
                check = .skipped(name, .trust, "the signature carries no electronic seal (no esID) to ask about")
            }
            var updated = SignatureReport(
                id: signature.id, format: signature.format, algorithm: signature.algorithm, signer: signature.signer,
                signerSerial: signature.signerSerial, sealName: signature.sealName, sealID: signature.sealID,
                signingTime: signature.signingTime, timestamped: signature.timestamped,
                checks: signature.checks + [check])
            updated.quirks = signature.quirks
            signatures[index] = updated
        }
        return VerificationReport(
            format: report.format, documentSHA256: report.documentSHA256, signatures: signatures,
            documentChecks: report.documentChecks, verifiedAt: report.verifiedAt)
    }
}
