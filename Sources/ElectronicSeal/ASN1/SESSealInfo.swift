import SwiftASN1

/// The seal information (印章信息): what the seal maker signs.
///
/// ```asn1
/// SES_SealInfo ::= SEQUENCE {
///     header    SES_Header,              -- 印章头
///     esID      IA5String,               -- 印章标识 (unique seal ID)
///     property  SES_ESPropertyInfo,      -- 印章属性
///     picture   SES_ESPictureInfo,       -- 印章图像数据
///     extDatas  ExtensionDatas OPTIONAL  -- 自定义数据 (GM/T 0031-2014 writes "EXPLICIT" without a tag number)
/// }
/// ```
///
/// `extDatas` is written untagged, as every sample does; `[0]` explicit or implicit forms are accepted.
public struct SESSealInfo: Hashable, Sendable, DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public var header: SESHeader
    public var esID: String
    public var property: SESPropertyInfo
    public var picture: SESPictureInfo
    public var extensions: [SESExtensionData]?
    /// The encoding as read (nil for a value built in memory). The v4 maker signature covers exactly these bytes.
    public internal(set) var derEncoded: ArraySlice<UInt8>?

    public init(
        header: SESHeader, esID: String, property: SESPropertyInfo, picture: SESPictureInfo,
        extensions: [SESExtensionData]? = nil
    ) {
        self.header = header
        self.esID = esID
        self.property = property
        self.picture = picture
        self.extensions = extensions
        self.derEncoded = nil
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let fields = try LenientDER.children(node, "SES_SealInfo", identifier: identifier)
        guard fields.count == 4 || fields.count == 5 else {
            throw ElectronicSealError.structure("SES_SealInfo has \(fields.count) fields, not 4 or 5")
        }
        self.header = try SESHeader(derEncoded: fields[0])
        self.esID = try LenientDER.string(fields[1], "SES_SealInfo.esID")
        self.property = try SESPropertyInfo(derEncoded: fields[2])
        self.picture = try SESPictureInfo(derEncoded: fields[3])
        if fields.count == 5 {
            self.extensions = try Self.decodeExtensions(fields[4], "SES_SealInfo.extDatas")
        } else {
            self.extensions = nil
        }
        self.derEncoded = node.encodedBytes
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(header)
            try coder.serialize(StrictDER.ia5(esID, "SES_SealInfo.esID"))
            try coder.serialize(property)
            try coder.serialize(picture)
            if let extensions { try coder.serializeSequenceOf(extensions) }
        }
    }

    /// `ExtensionDatas` untagged, `[0] EXPLICIT`, or `[0] IMPLICIT`.
    static func decodeExtensions(_ node: ASN1Node, _ field: String) throws -> [SESExtensionData] {
        if node.identifier == .sequence || node.identifier == .set { return try SESExtensionData.list(node, field) }
        let inner = try LenientDER.children(node, field, identifier: .context(0))
        if inner.count == 1, inner[0].identifier == .sequence,
            case .constructed(let grandchildren) = inner[0].content,
            grandchildren.first(where: { _ in true })?.identifier != .objectIdentifier
        {
            return try SESExtensionData.list(inner[0], field)  // [0] EXPLICIT SEQUENCE OF
        }
        return try inner.map { try SESExtensionData(derEncoded: $0) }  // [0] IMPLICIT SEQUENCE OF
    }
}
