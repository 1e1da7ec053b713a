/// How far a PDF signature is extended for long-term validation (ETSI EN 319 142-1).
public enum PDFLTVLevel: String, Sendable, Hashable, CaseIterable {
    /// PAdES B-LT: a DSS with the certificates, CRLs and OCSP responses of every signer and TSA chain.
    case lt
    /// PAdES B-LTA: B-LT plus a document timestamp over the whole file.
    case lta
}
