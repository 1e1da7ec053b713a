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

    public init(trust: TrustStore? = nil, password: String? = nil, at: Date? = nil) {
        self.trust = trust
        self.password = password
        self.at = at
    }
}
