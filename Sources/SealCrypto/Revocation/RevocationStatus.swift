import Foundation

/// What one CRL or OCSP response says about one certificate.
public struct RevocationStatus: Sendable, Hashable {
    public enum State: Sendable, Hashable {
        case good
        /// Revoked at the date, with the CRL reason when one was given.
        case revoked(Date, reason: String?)
        /// The responder does not know the certificate (OCSP `unknown`).
        case unknown
    }

    public enum Source: String, Sendable, Hashable {
        case ocsp, crl
    }

    public var state: State
    public var source: Source
    public var thisUpdate: Date
    public var nextUpdate: Date?
    /// Where the evidence came from: the URL it was fetched from, or nil for data embedded in the document.
    public var location: String?

    public init(state: State, source: Source, thisUpdate: Date, nextUpdate: Date?, location: String? = nil) {
        self.state = state
        self.source = source
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
        self.location = location
    }
}

/// Revocation evidence carried along with a signature (a PDF's DSS, or data gathered for one).
public struct RevocationData: Sendable, Hashable {
    public var crls: [CertificateRevocationList]
    public var ocspResponses: [OCSPResponse]

    public init(crls: [CertificateRevocationList] = [], ocspResponses: [OCSPResponse] = []) {
        self.crls = crls
        self.ocspResponses = ocspResponses
    }

    public var isEmpty: Bool { crls.isEmpty && ocspResponses.isEmpty }

    /// Both lists, without repeats.
    public mutating func merge(_ other: RevocationData) {
        for crl in other.crls where !crls.contains(crl) { crls.append(crl) }
        for response in other.ocspResponses where !ocspResponses.contains(response) { ocspResponses.append(response) }
    }
}
