import Foundation
public import SwiftASN1

/// RFC 3161 `TSTInfo`:
/// ```
/// TSTInfo ::= SEQUENCE { version INTEGER { v1(1) }, policy TSAPolicyId, messageImprint MessageImprint,
///     serialNumber INTEGER, genTime GeneralizedTime, accuracy Accuracy OPTIONAL, ordering BOOLEAN DEFAULT FALSE,
///     nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL, extensions [1] IMPLICIT Extensions OPTIONAL }
/// MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
/// ```
public struct TSTInfo: Sendable, Hashable {
    public var policy: ASN1ObjectIdentifier
    public var hashAlgorithmOID: ASN1ObjectIdentifier
    public var hashedMessage: [UInt8]
    /// Serial number, big-endian as encoded.
    public var serialNumber: [UInt8]
    public var genTime: Date
    /// Accuracy in seconds (seconds + millis + micros), when given.
    public var accuracySeconds: Double?
    public var nonce: [UInt8]?

    public var hashAlgorithm: DigestAlgorithm? { DigestAlgorithm(oid: hashAlgorithmOID) }

    public init(
        policy: ASN1ObjectIdentifier, hashAlgorithm: DigestAlgorithm, hashedMessage: [UInt8], serialNumber: [UInt8],
        genTime: Date, accuracySeconds: Double? = 1, nonce: [UInt8]? = nil
    ) {
        self.policy = policy
        self.hashAlgorithmOID = hashAlgorithm.oid
        self.hashedMessage = hashedMessage
        self.serialNumber = serialNumber
        self.genTime = genTime
        self.accuracySeconds = accuracySeconds
        self.nonce = nonce
    }

    /// Parses DER TSTInfo.
    public init(der: [UInt8]) throws(CryptoError) {
        do {
            let fields = try DERReading.children(try DERReading.parse(der))
            guard fields.count >= 5 else { throw ASN1Error.invalidASN1Object(reason: "TSTInfo too short") }
            guard try DERReading.smallInteger(fields[0]) == 1 else { throw ASN1Error.invalidASN1Object(reason: "TSTInfo version") }
            self.policy = try DERReading.oid(fields[1])
            let imprint = try DERReading.children(fields[2])
            guard imprint.count == 2, let algorithm = try DERReading.children(imprint[0]).first else {
                throw ASN1Error.invalidASN1Object(reason: "MessageImprint")
            }
            self.hashAlgorithmOID = try DERReading.oid(algorithm)
            self.hashedMessage = try DERReading.octets(imprint[1])
            self.serialNumber = try DERReading.integerBytes(fields[3])
            self.genTime = try DERReading.time(fields[4])
            self.accuracySeconds = nil
            self.nonce = nil
            for field in fields[5...] {
                if field.identifier == .sequence {
                    var total = 0.0
                    for part in try DERReading.children(field) {
                        if part.identifier == .integer { total += Double(try DERReading.smallInteger(part)) }
                        if case .primitive(let bytes) = part.content, part.identifier.tagClass == .contextSpecific {
                            let value = Double(bytes.reduce(0) { $0 << 8 | Int($1) })
                            total += part.identifier.tagNumber == 0 ? value / 1_000 : value / 1_000_000
                        }
                    }
                    accuracySeconds = total
                } else if field.identifier == .integer {
                    nonce = try DERReading.integerBytes(field)
                }
            }
        } catch let error as CryptoError {
            throw error
        } catch {
            throw CryptoError(.malformedTimeStamp, "malformed TSTInfo (\(error))")
        }
    }

    /// DER encoding.
    public func derEncoded() throws -> [UInt8] {
        try DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { info in
                try info.serialize(1)
                try info.serialize(policy)
                try info.appendConstructedNode(identifier: .sequence) { imprint in
                    try imprint.appendConstructedNode(identifier: .sequence) { try $0.serialize(hashAlgorithmOID) }
                    try imprint.serialize(ASN1OctetString(contentBytes: ArraySlice(hashedMessage)))
                }
                info.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: serialNumber) }
                try info.serialize(try DERWriting.generalizedTime(genTime))
                if let accuracySeconds {
                    try info.appendConstructedNode(identifier: .sequence) { accuracy in
                        // Whole seconds, rounded up (millis/micros are not emitted).
                        try accuracy.serialize(max(1, Int(accuracySeconds.rounded(.up))))
                    }
                }
                if let nonce {
                    info.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: nonce) }
                }
            }
        }
    }
}
