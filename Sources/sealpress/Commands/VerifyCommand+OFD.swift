import Foundation
import SealCrypto
import SealOFD
import SealReport

// Owner: the OFD engine. Verifies an OFD for `sealpress verify`.
extension VerifyCommand {
    func verifyOFD(_ bytes: [UInt8]) throws -> VerificationReport {
        var roots: [Certificate] = []
        for path in trust { roots += try OFDCommandFiles.certificates(path) }
        return OFDVerifier.verify(
            bytes, trust: roots.isEmpty ? nil : TrustStore(roots: roots), at: Date(), revocation: revocationOptions)
    }
}
