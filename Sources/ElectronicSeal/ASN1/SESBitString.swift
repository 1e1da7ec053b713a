import SwiftASN1

/// A BIT STRING as seal structures use it: a whole number of octets (signature values, digests, v1 time text).
///
/// Real signers write odd encodings (Suwell SDK: a non-zero unused-bits count with trailing zero octets trimmed),
/// so decoding keeps the octets and the declared unused-bits count as they are; ``octets(padTo:)`` gives the
/// octets a verifier should use. Serializing always writes unused-bits 0, as DER requires for octet data.
public struct SESBitString: Hashable, Sendable, DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .bitString }

    /// The octets after the unused-bits octet, exactly as read.
    public var bytes: ArraySlice<UInt8>
    /// The unused-bits count as read (0 in everything we write).
    public var unusedBits: Int

    /// A BIT STRING holding these octets (unused bits 0).
    public init(_ bytes: some Sequence<UInt8>) {
        self.bytes = ArraySlice(bytes)
        self.unusedBits = 0
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let content = try LenientDER.primitive(node, "BIT STRING", identifier: identifier)
        guard let unused = content.first else {
            throw ElectronicSealError.value("a BIT STRING has no unused-bits octet")
        }
        guard unused < 8 else { throw ElectronicSealError.value("a BIT STRING declares \(unused) unused bits") }
        self.unusedBits = Int(unused)
        self.bytes = content.dropFirst()
    }

    /// Reads a BIT STRING, or an OCTET STRING where a BIT STRING belongs (seen for signature values and digests).
    static func reading(_ node: ASN1Node, _ field: String) throws -> SESBitString {
        if node.identifier == .octetString { return SESBitString(try LenientDER.octets(node, field)) }
        guard node.identifier == .bitString else {
            throw ElectronicSealError.structure("\(field): expected BIT STRING, found \(node.identifier)")
        }
        return try SESBitString(derEncoded: node, withIdentifier: .bitString)
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        coder.appendPrimitiveNode(identifier: identifier) { out in
            out.append(0)
            out.append(contentsOf: self.bytes)
        }
    }

    /// The octets, right-padded with zeros to `length` when a signer trimmed trailing zero octets
    /// (a non-zero unused-bits count and fewer octets than expected). Otherwise the octets unchanged.
    public func octets(padTo length: Int) -> [UInt8] {
        var result = Array(bytes)
        if result.count < length, unusedBits != 0 {
            result += Array(repeating: 0, count: length - result.count)
        }
        return result
    }
}
