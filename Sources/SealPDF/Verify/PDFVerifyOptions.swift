import Foundation
import SealCrypto

/// How ``PDFVerifier`` judges a document.
public struct PDFVerifyOptions: Sendable {
    /// Trust anchors for signer, TSA and seal-maker chains; nil reports trust as indeterminate.
    public var trust: TrustStore?
    /// The password of an encrypted document.
    public var password: String?
    /// Validate certificates at this time instead of the signing time.
    public var at: Date?
    /// Revocation checking of signer chains (CRL/OCSP, and a DSS's embedded data); nil adds no revocation checks.
    public var revocation: RevocationOptions?

    public init(trust: TrustStore? = nil, password: String? = nil, at: Date? = nil, revocation: RevocationOptions? = nil) {
        self.trust = trust
        self.password = password
        self.at = at
        self.revocation = revocation
    }
}
