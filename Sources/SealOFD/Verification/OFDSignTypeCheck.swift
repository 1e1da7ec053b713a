import Foundation
import SealCrypto
import SealReport

/// Checks a `Type="Sign"` signature: SignedValue.dat is a GB/T 35275 SignedData.
struct OFDSignTypeCheck {
    let signedValue: [UInt8]
    let signatureXML: [UInt8]
    let trust: TrustStore?
    let date: Date

    func run(into checks: inout [Check]) -> OFDSignatureVerification.Summary {
        checks.append(
            .indeterminate(
                "signatureValue", .integrity, .formatFailure,
                "GB/T 35275 SignedData verification is not available yet"))
        return OFDSignatureVerification.Summary()
    }
}
