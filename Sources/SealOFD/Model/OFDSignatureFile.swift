/// A parsed `Signature.xml` (GB/T 33190 §18.2.2), with the exact bytes that `dataHash` covers.
public struct OFDSignatureFile: Sendable, Hashable {
    /// One `Reference`: a protected file and its digest.
    public struct Reference: Sendable, Hashable {
        /// `FileRef` as written.
        public var fileRef: String
        /// The decoded `CheckValue`, nil when it is not valid base64.
        public var checkValue: [UInt8]?
    }

    /// One `StampAnnot`: where the seal appears.
    public struct StampAnnotation: Sendable, Hashable {
        public var id: String?
        public var pageRef: String?
        public var boundary: OFDBox?
        public var clip: OFDBox?
    }

    /// Package path of this file.
    public var path: String
    /// The bytes exactly as stored.
    public var bytes: [UInt8]
    public var providerName: String?
    public var signatureMethod: String?
    public var signatureDateTime: String?
    /// `References@CheckMethod`, nil when absent (the schema default is MD5).
    public var checkMethod: String?
    public var references: [Reference]
    public var stampAnnotations: [StampAnnotation]
    /// `Seal/BaseLoc` as written.
    public var sealLocation: String?
    /// `SignedValue` as written.
    public var signedValueLocation: String?
    /// Names of `SignedInfo`'s children in document order (element order is reported, never enforced).
    public var signedInfoOrder: [String]

    /// Parses the bytes; tolerates ofdrw's order, Provider written as child elements and any namespace.
    public init(path: String, bytes: [UInt8], limits: OFDPackageLimits = .standard) throws(OFDError) {
        self.path = path
        self.bytes = bytes
        let root = try OFDXMLParser.parse(bytes, limits: limits)
        guard root.localName == "Signature", let info = root.child("SignedInfo") else {
            throw OFDError(.malformedDocument, "\(path) is not a Signature with SignedInfo")
        }
        let provider = info.child("Provider")
        providerName = provider?.attribute("ProviderName") ?? provider?.childText("ProviderName")
        signatureMethod = info.childText("SignatureMethod")
        signatureDateTime = info.childText("SignatureDateTime")
        let referencesElement = info.child("References")
        checkMethod = referencesElement?.attribute("CheckMethod")?.trimmingXMLWhitespace()
        references = (referencesElement?.children("Reference") ?? []).map { element in
            Reference(
                fileRef: element.attribute("FileRef") ?? "",
                checkValue: element.childText("CheckValue").flatMap { Base64.decode($0) })
        }
        stampAnnotations = info.children("StampAnnot").map { element in
            StampAnnotation(
                id: element.attribute("ID"), pageRef: element.attribute("PageRef"),
                boundary: element.attribute("Boundary").flatMap { OFDBox(stBox: $0) },
                clip: element.attribute("Clip").flatMap { OFDBox(stBox: $0) })
        }
        sealLocation = info.child("Seal")?.childText("BaseLoc")
        signedValueLocation = root.childText("SignedValue")
        signedInfoOrder = info.children.map(\.localName)
    }

    /// What a new signature needs from an earlier one: the files it protects (`FileRef`s, for the lock check) and
    /// its `StampAnnot` IDs (so new IDs do not collide). Skips what only verification uses (CheckValue decoding,
    /// provider, dates, seal and value locations); refuses the same malformed files as ``init(path:bytes:limits:)``.
    struct Outline {
        var fileRefs: [String]
        var stampIDs: [String]

        init(path: String, bytes: [UInt8], limits: OFDPackageLimits = .standard) throws(OFDError) {
            let root = try OFDXMLParser.parse(bytes, limits: limits)
            guard root.localName == "Signature", let info = root.child("SignedInfo") else {
                throw OFDError(.malformedDocument, "\(path) is not a Signature with SignedInfo")
            }
            fileRefs = (info.child("References")?.children("Reference") ?? []).map { $0.attribute("FileRef") ?? "" }
            stampIDs = info.children("StampAnnot").compactMap { $0.attribute("ID") }
        }
    }
}
