import SwiftASN1

/// The seal picture (印章图像数据).
///
/// ```asn1
/// SES_ESPictureInfo ::= SEQUENCE {      -- GM/T 0031-2014 spells it SES_ESPictrueInfo
///     type    IA5String,                -- "PNG", "JPG", "GIF", "BMP", "SVG", "ofd" (a vector seal: an OFD package)
///     data    OCTET STRING,
///     width   INTEGER,                  -- display width, millimetres
///     height  INTEGER                   -- display height, millimetres
/// }
/// ```
public struct SESPictureInfo: Hashable, Sendable, DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    /// The picture format as written, e.g. `"PNG"` or `"ofd"`; compare case-insensitively.
    public var type: String
    /// The picture bytes.
    public var data: ArraySlice<UInt8>
    /// Display width in millimetres.
    public var widthMM: Int
    /// Display height in millimetres.
    public var heightMM: Int

    public init(type: String, data: some Sequence<UInt8>, widthMM: Int, heightMM: Int) {
        self.type = type
        self.data = ArraySlice(data)
        self.widthMM = widthMM
        self.heightMM = heightMM
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let fields = try LenientDER.children(node, "SES_ESPictureInfo", identifier: identifier)
        guard fields.count == 4 else {
            throw ElectronicSealError.structure("SES_ESPictureInfo has \(fields.count) fields, not 4")
        }
        self.type = try LenientDER.string(fields[0], "SES_ESPictureInfo.type")
        self.data = try SESBitString.reading(fields[1], "SES_ESPictureInfo.data").bytes
        self.widthMM = try LenientDER.integer(fields[2], "SES_ESPictureInfo.width")
        self.heightMM = try LenientDER.integer(fields[3], "SES_ESPictureInfo.height")
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(StrictDER.ia5(type, "SES_ESPictureInfo.type"))
            try coder.serialize(StrictDER.octets(data))
            try coder.serialize(widthMM)
            try coder.serialize(heightMM)
        }
    }
}
