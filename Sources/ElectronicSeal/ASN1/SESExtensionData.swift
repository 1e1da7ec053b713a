import SwiftASN1

/// One custom data item (自定义数据) of a seal or a seal signature.
///
/// ```asn1
/// ExtensionDatas ::= SEQUENCE SIZE (0..MAX) OF ExtData
/// ExtData ::= SEQUENCE {
///     extnID     OBJECT IDENTIFIER,
///     critical   BOOLEAN DEFAULT FALSE,
///     extnValue  OCTET STRING
/// }
/// ```
///
/// Vendors (Koal, Hebei Gede) encode `critical FALSE` explicitly, which DER forbids; it is accepted on input and
/// never written.
public struct SESExtensionData: Hashable, Sendable, DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public var extnID: ASN1ObjectIdentifier
    public var critical: Bool
    public var extnValue: ArraySlice<UInt8>

    public init(extnID: ASN1ObjectIdentifier, critical: Bool = false, extnValue: some Sequence<UInt8>) {
        self.extnID = extnID
        self.critical = critical
        self.extnValue = ArraySlice(extnValue)
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let fields = try LenientDER.children(node, "ExtData", identifier: identifier)
        guard fields.count == 2 || fields.count == 3 else {
            throw ElectronicSealError.structure("ExtData has \(fields.count) fields")
        }
        self.extnID = try LenientDER.objectIdentifier(fields[0], "ExtData.extnID")
        self.critical = fields.count == 3 ? try LenientDER.boolean(fields[1], "ExtData.critical") : false
        self.extnValue = try LenientDER.octets(fields[fields.count - 1], "ExtData.extnValue")
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(extnID)
            if critical { try coder.serialize(true) }
            try coder.serialize(StrictDER.octets(extnValue))
        }
    }

    /// Reads `ExtensionDatas` (a SEQUENCE OF ExtData).
    static func list(_ node: ASN1Node, _ field: String) throws -> [SESExtensionData] {
        try LenientDER.children(node, field, identifier: node.identifier == .set ? .set : .sequence)
            .map { try SESExtensionData(derEncoded: $0) }
    }
}
