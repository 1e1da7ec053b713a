import SwiftASN1

/// The seal header (印章头), the same in GM/T 0031-2014 and GB/T 38540-2020.
///
/// ```asn1
/// SES_Header ::= SEQUENCE {
///     ID       IA5String,   -- fixed "ES"
///     version  INTEGER,     -- 1 (GM/T 0031-2014), 4 (GB/T 38540-2020), 5 (GM/T 0031-2025)
///     Vid      IA5String    -- 厂商标识 (vendor ID)
/// }
/// ```
public struct SESHeader: Hashable, Sendable, DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    /// Always `"ES"` in a conforming seal.
    public var id: String
    /// The seal data version: 1, 4 or 5.
    public var version: Int
    /// The vendor identifier, e.g. `"SealPress"`.
    public var vendorID: String

    public init(id: String = "ES", version: Int, vendorID: String) {
        self.id = id
        self.version = version
        self.vendorID = vendorID
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let fields = try LenientDER.children(node, "SES_Header", identifier: identifier)
        guard fields.count == 3 else { throw ElectronicSealError.structure("SES_Header has \(fields.count) fields, not 3") }
        self.id = try LenientDER.string(fields[0], "SES_Header.ID")
        self.version = try LenientDER.integer(fields[1], "SES_Header.version")
        self.vendorID = try LenientDER.string(fields[2], "SES_Header.Vid")
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(StrictDER.ia5(id, "SES_Header.ID"))
            try coder.serialize(version)
            try coder.serialize(StrictDER.ia5(vendorID, "SES_Header.Vid"))
        }
    }
}
