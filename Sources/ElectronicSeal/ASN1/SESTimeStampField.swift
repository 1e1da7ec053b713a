import SwiftASN1

/// The optional `timeStamp [0] BIT STRING` of `SES_Signature` (v4) and `SESeal` (v5): a DER RFC 3161
/// TimeStampToken (GB/T 20520) over the signature value.
///
/// On the wire ofdrw writes `[0] EXPLICIT BIT STRING` (`A0 len 03 len 00 <token>`), the form we write too;
/// other implementations use `[0] IMPLICIT` (`80`), an untagged BIT STRING, or put the token itself in `[0]`.
/// All are read.
enum SESTimeStampField {
    static func decode(_ node: ASN1Node, _ field: String) throws -> ArraySlice<UInt8> {
        switch node.identifier {
        case .context(0):
            switch node.content {
            case .primitive:
                return try SESBitString(derEncoded: node, withIdentifier: .context(0)).bytes
            case .constructed(let nodes):
                let inner = Array(nodes)
                guard inner.count == 1 else { throw ElectronicSealError.structure("\(field) holds \(inner.count) elements") }
                switch inner[0].identifier {
                case .bitString: return try SESBitString(derEncoded: inner[0]).bytes
                case .octetString: return try LenientDER.octets(inner[0], field)
                case .sequence: return inner[0].encodedBytes
                default: throw ElectronicSealError.structure("\(field) holds \(inner[0].identifier)")
                }
            }
        case .bitString:
            return try SESBitString(derEncoded: node).bytes
        case .octetString:
            return try LenientDER.octets(node, field)
        default:
            throw ElectronicSealError.structure("\(field): unexpected \(node.identifier)")
        }
    }

    static func serialize(_ token: ArraySlice<UInt8>, into coder: inout DER.Serializer) throws {
        try coder.serialize(SESBitString(token), explicitlyTaggedWithIdentifier: .context(0))
    }
}
