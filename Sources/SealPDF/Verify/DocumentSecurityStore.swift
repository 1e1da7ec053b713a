import SealCrypto

/// The Document Security Store (ISO 32000-2 §12.8.4.3, PAdES B-LT): certificates, CRLs and OCSP responses a
/// document carries so its signatures can be validated later without the network.
public struct DocumentSecurityStore: Sendable {
    public var certificates: [Certificate] = []
    public var revocation = RevocationData()

    public init(certificates: [Certificate] = [], revocation: RevocationData = RevocationData()) {
        self.certificates = certificates
        self.revocation = revocation
    }

    /// The newest revision's /DSS, read leniently: an unreadable entry is left out (then the status comes from
    /// elsewhere or stays unknown), never trusted.
    public init(document: PDFDocument) {
        guard let catalog = try? document.catalog, let dss = try? document.resolveDictionary(catalog["DSS"]) else {
            return
        }
        func streams(_ key: String) -> [[UInt8]] {
            guard let array = try? document.resolve(dss[PDFName(key)] ?? .null).arrayValue else { return [] }
            return array.prefix(10_000).compactMap { item in
                guard let stream = try? document.resolve(item).streamValue else { return nil }
                return try? document.decodedData(of: stream)
            }
        }
        certificates = streams("Certs").compactMap { try? Certificate(der: $0) }
        revocation.crls = streams("CRLs").compactMap { try? CertificateRevocationList(der: $0) }
        revocation.ocspResponses = streams("OCSPs").compactMap { try? OCSPResponse(der: $0) }
    }

    public var isEmpty: Bool { certificates.isEmpty && revocation.isEmpty }
}

extension PDFDocument {
    /// Revocation data of the document's DSS.
    var embeddedRevocationData: RevocationData { DocumentSecurityStore(document: self).revocation }
}
