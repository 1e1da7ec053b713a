import SealReport

// Owner: the OFD engine. Verifies an OFD for `sealpress verify`.
extension VerifyCommand {
    func verifyOFD(_ bytes: [UInt8]) throws -> VerificationReport {
        throw NotYetAvailable(what: "OFD verification")
    }
}
