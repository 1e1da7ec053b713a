extension VerificationReport {
    /// The report with trust never PASSED unless a chain to a trust anchor was checked: a signature whose trust
    /// checks all passed or were skipped without any certificate chain passing (no --trust given, or the signature
    /// could not be read far enough to find its signer) gets an indeterminate `trustAnchor` check
    /// (ETSI EN 319 102-1: NO_CERTIFICATE_CHAIN_FOUND).
    public func withTrustAccounted(anchorsGiven: Bool) -> VerificationReport {
        let missing = Check.indeterminate(
            "trustAnchor", .trust, .noCertificateChainFound,
            anchorsGiven
                ? "no certificate of this signature was checked against the trust anchors"
                : "no trust anchor was given (--trust roots.pem): the signer cannot be traced to a trusted root")
        var signatures = self.signatures
        for (index, signature) in signatures.enumerated() where signature.trust.indication == .passed {
            let chainPassed = signature.checks.contains {
                $0.category == .trust && $0.status == .passed && $0.name.lowercased().contains("chain")
            }
            if anchorsGiven && chainPassed { continue }
            signatures[index] = SignatureReport(
                id: signature.id, format: signature.format, algorithm: signature.algorithm, signer: signature.signer,
                signerSerial: signature.signerSerial, sealName: signature.sealName, sealID: signature.sealID,
                signingTime: signature.signingTime, timestamped: signature.timestamped,
                checks: signature.checks + [missing])
            signatures[index].quirks = signature.quirks
        }
        return VerificationReport(
            format: format, documentSHA256: documentSHA256, signatures: signatures, documentChecks: documentChecks,
            verifiedAt: verifiedAt)
    }
}
