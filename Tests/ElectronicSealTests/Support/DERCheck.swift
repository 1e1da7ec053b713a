import SwiftASN1

/// Strict DER parsing (swift-asn1's DER rules: minimal lengths, definite lengths) to prove what we write is DER.
enum DERCheck {
    static func parse(_ bytes: [UInt8]) throws -> ASN1Node { try DER.parse(bytes) }
}
