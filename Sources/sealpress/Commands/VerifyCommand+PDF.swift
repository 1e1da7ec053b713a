import SealReport

// Owner: the PDF engine. Verifies a PDF for `sealpress verify`.
extension VerifyCommand {
    func verifyPDF(_ bytes: [UInt8]) throws -> VerificationReport {
        throw NotYetAvailable(what: "PDF verification")
    }
}
