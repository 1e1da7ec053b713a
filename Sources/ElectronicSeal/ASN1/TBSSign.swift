import SwiftASN1

/// What the signer signs (签章信息). The layout is read from the structure.
///
/// ```asn1
/// -- GB/T 38540-2020 (v4, v5)
/// TBS_Sign ::= SEQUENCE {
///     version       INTEGER,                      -- 4 (5 for GM/T 0031-2025)
///     eseal         SESeal,                       -- the complete seal
///     timeInfo      GeneralizedTime,              -- 签章时间
///     dataHash      BIT STRING,                   -- 原文杂凑值: SM3(Signature.xml) for OFD
///     propertyInfo  IA5String,                    -- 原文数据的属性: e.g. "/Doc_0/Signs/Sign_0/Signature.xml"
///     extDatas      [0] EXPLICIT ExtensionDatas OPTIONAL
/// }
/// -- GM/T 0031-2014 (v1)
/// TBS_Sign ::= SEQUENCE {
///     version             INTEGER,
///     eseal               SESeal,
///     timeInfo            BIT STRING,             -- time text, or a timestamp
///     dataHash            BIT STRING,
///     propertyInfo        IA5String,
///     cert                OCTET STRING,           -- signer certificate (signed in v1)
///     signatureAlgorithm  OBJECT IDENTIFIER
/// }
/// ```
///
/// The `eseal` is a record signed by the seal maker, so it is always written with its original bytes
/// (``SESeal/derEncoded``): re-encoding it could only break the maker's signature.
public struct TBSSign: Hashable, Sendable, DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public var version: Int
    public var eseal: SESeal
    public var timeInfo: SESTime
    public var dataHash: SESBitString
    public var propertyInfo: String
    /// v4 `[0] extDatas`.
    public var extensions: [SESExtensionData]?
    /// v1 only: the signer certificate (DER), which v1 signs. Nil in the v4 layout.
    public var signerCertificate: ArraySlice<UInt8>?
    /// v1 only: the signature algorithm. Nil in the v4 layout.
    public var signatureAlgorithm: ASN1ObjectIdentifier?
    /// The encoding as read (nil for a value built in memory). The signature covers exactly these bytes.
    public internal(set) var derEncoded: ArraySlice<UInt8>?

    /// True for the GM/T 0031-2014 layout (signer certificate and algorithm inside).
    public var isGMT0031Layout: Bool { signerCertificate != nil }

    /// A v4 TBS_Sign.
    public init(
        version: Int, eseal: SESeal, timeInfo: SESTime, dataHash: some Sequence<UInt8>, propertyInfo: String,
        extensions: [SESExtensionData]? = nil
    ) {
        self.version = version
        self.eseal = eseal
        self.timeInfo = timeInfo
        self.dataHash = SESBitString(dataHash)
        self.propertyInfo = propertyInfo
        self.extensions = extensions
        self.signerCertificate = nil
        self.signatureAlgorithm = nil
        self.derEncoded = nil
    }

    /// A v1 TBS_Sign.
    public init(
        version: Int, eseal: SESeal, timeInfo: SESTime, dataHash: some Sequence<UInt8>, propertyInfo: String,
        signerCertificate: some Sequence<UInt8>, signatureAlgorithm: ASN1ObjectIdentifier
    ) {
        self.version = version
        self.eseal = eseal
        self.timeInfo = timeInfo
        self.dataHash = SESBitString(dataHash)
        self.propertyInfo = propertyInfo
        self.extensions = nil
        self.signerCertificate = ArraySlice(signerCertificate)
        self.signatureAlgorithm = signatureAlgorithm
        self.derEncoded = nil
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let fields = try LenientDER.children(node, "TBS_Sign", identifier: identifier)
        guard fields.count >= 5, fields.count <= 7 else {
            throw ElectronicSealError.structure("TBS_Sign has \(fields.count) fields; expected 5–6 (v4) or 7 (v1)")
        }
        self.version = try LenientDER.integer(fields[0], "TBS_Sign.version")
        self.eseal = try SESeal(derEncoded: fields[1])
        self.timeInfo = try SESTime(decoding: fields[2], "TBS_Sign.timeInfo")
        self.dataHash = try SESBitString.reading(fields[3], "TBS_Sign.dataHash")
        self.propertyInfo = try LenientDER.string(fields[4], "TBS_Sign.propertyInfo")
        if fields.count == 7 {
            self.signerCertificate = try LenientDER.certificate(fields[5], "TBS_Sign.cert")
            self.signatureAlgorithm = try LenientDER.objectIdentifier(fields[6], "TBS_Sign.signatureAlgorithm")
            self.extensions = nil
        } else {
            self.signerCertificate = nil
            self.signatureAlgorithm = nil
            self.extensions =
                fields.count == 6 ? try SESSealInfo.decodeExtensions(fields[5], "TBS_Sign.extDatas") : nil
        }
        self.derEncoded = node.encodedBytes
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(version)
            coder.serializeRawBytes(eseal.derEncoded)
            if isGMT0031Layout {
                let payload: [UInt8] = timeInfo.timeStampToken.map(Array.init) ?? Array(timeInfo.text.utf8)
                try coder.serialize(SESBitString(payload))
            } else {
                guard let date = timeInfo.date else {
                    throw ElectronicSealError.value("TBS_Sign.timeInfo is not a time that can be re-encoded")
                }
                StrictDER.generalizedTime(date, into: &coder)
            }
            try coder.serialize(dataHash)
            try coder.serialize(StrictDER.ia5(propertyInfo, "TBS_Sign.propertyInfo"))
            if let signerCertificate, let signatureAlgorithm {
                try coder.serialize(StrictDER.octets(signerCertificate))
                try coder.serialize(signatureAlgorithm)
            } else if let extensions {
                try coder.appendConstructedNode(identifier: .context(0)) { coder in
                    try coder.serializeSequenceOf(extensions)
                }
            }
        }
    }

    /// The strict-DER encoding of this value (what a builder signs).
    public func serializedBytes() throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(self)
        return coder.serializedBytes
    }
}
