import Foundation
public import SwiftASN1

/// A CMS attribute: `Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }`.
public struct CMSAttribute: Sendable, Hashable {
    public let type: ASN1ObjectIdentifier
    /// The DER of each value, as encoded.
    public let values: [[UInt8]]

    public init(type: ASN1ObjectIdentifier, values: [[UInt8]]) {
        self.type = type
        self.values = values
    }

    init(node: ASN1Node) throws {
        let parts = try DERReading.children(node)
        guard parts.count == 2 else { throw ASN1Error.invalidASN1Object(reason: "Attribute") }
        self.type = try DERReading.oid(parts[0])
        self.values = try DERReading.children(parts[1], .set).map { Array($0.encodedBytes) }
    }

    /// DER encoding of the attribute.
    var der: [UInt8] {
        (try? DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { attribute in
                try attribute.serialize(type)
                attribute.appendConstructedNode(identifier: .set) { set in
                    for value in values.sorted(by: DERSorting.lessThan) { set.serializeRawBytes(value) }
                }
            }
        }) ?? []
    }

    /// The first value parsed as a node.
    func firstValue() throws -> ASN1Node {
        guard let first = values.first else { throw ASN1Error.invalidASN1Object(reason: "attribute without value") }
        return try DERReading.parse(first)
    }
}

extension Array where Element == CMSAttribute {
    /// The attribute of a type, if present.
    public func first(_ type: ASN1ObjectIdentifier) -> CMSAttribute? { first { $0.type == type } }
}
