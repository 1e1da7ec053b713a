import Foundation
public import SwiftASN1

/// RFC 3161 `TimeStampReq ::= SEQUENCE { version INTEGER { v1(1) }, messageImprint MessageImprint,
/// reqPolicy TSAPolicyId OPTIONAL, nonce INTEGER OPTIONAL, certReq BOOLEAN DEFAULT FALSE,
/// extensions [0] IMPLICIT Extensions OPTIONAL }`.
public struct TimeStampRequest: Sendable, Hashable {
    public var hashAlgorithmOID: ASN1ObjectIdentifier
    public var hashedMessage: [UInt8]
    public var policy: ASN1ObjectIdentifier?
    /// Big-endian positive nonce.
    public var nonce: [UInt8]?
    public var certificateRequested: Bool

    public var hashAlgorithm: DigestAlgorithm? { DigestAlgorithm(oid: hashAlgorithmOID) }

    /// A request for `digest` with a random 8-byte nonce, asking for the TSA certificate.
    public init(digest: [UInt8], algorithm: DigestAlgorithm, nonce: [UInt8]? = TimeStampRequest.randomNonce(),
                certificateRequested: Bool = true, policy: ASN1ObjectIdentifier? = nil) {
        self.hashAlgorithmOID = algorithm.oid
        self.hashedMessage = digest
        self.nonce = nonce
        self.certificateRequested = certificateRequested
        self.policy = policy
    }

    /// Parses a DER request.
    public init(der: [UInt8]) throws(CryptoError) {
        do {
            let fields = try DERReading.children(try DERReading.parse(der))
            guard fields.count >= 2, try DERReading.smallInteger(fields[0]) == 1 else {
                throw ASN1Error.invalidASN1Object(reason: "TimeStampReq")
            }
            let imprint = try DERReading.children(fields[1])
            guard imprint.count == 2, let algorithm = try DERReading.children(imprint[0]).first else {
                throw ASN1Error.invalidASN1Object(reason: "MessageImprint")
            }
            self.hashAlgorithmOID = try DERReading.oid(algorithm)
            self.hashedMessage = try DERReading.octets(imprint[1])
            self.policy = nil
            self.nonce = nil
            self.certificateRequested = false
            for field in fields[2...] {
                switch field.identifier {
                case .objectIdentifier: policy = try DERReading.oid(field)
                case .integer: nonce = try DERReading.integerBytes(field)
                case .boolean: certificateRequested = try DERReading.boolean(field)
                default: break
                }
            }
        } catch let error as CryptoError {
            throw error
        } catch {
            throw CryptoError(.malformedTimeStamp, "malformed TimeStampReq (\(error))")
        }
    }

    /// DER encoding.
    public func derEncoded() throws -> [UInt8] {
        try DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { request in
                try request.serialize(1)
                try request.appendConstructedNode(identifier: .sequence) { imprint in
                    try imprint.appendConstructedNode(identifier: .sequence) { try $0.serialize(hashAlgorithmOID) }
                    try imprint.serialize(ASN1OctetString(contentBytes: ArraySlice(hashedMessage)))
                }
                if let policy { try request.serialize(policy) }
                if let nonce { request.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: nonce) } }
                if certificateRequested { try request.serialize(true) }
            }
        }
    }

    /// 8 random bytes with the top bit clear (a positive INTEGER).
    public static func randomNonce() -> [UInt8] {
        var bytes = (0..<8).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = (bytes[0] & 0x7f) | 0x01
        return bytes
    }
}
