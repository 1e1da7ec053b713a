import SwiftASN1

/// An electronic seal (电子印章): the seal information signed by the seal maker (制章者).
///
/// ```asn1
/// -- GB/T 38540-2020 (v4); GM/T 0031-2025 (v5) adds the timeStamp
/// SESeal ::= SEQUENCE {
///     eSealInfo    SES_SealInfo,              -- 印章信息
///     cert         OCTET STRING,              -- 制章者证书
///     signAlgID    OBJECT IDENTIFIER,         -- 签名算法标识 (1.2.156.10197.1.501)
///     signedValue  BIT STRING,                -- 签名值: over DER(eSealInfo)
///     timeStamp    [0] BIT STRING OPTIONAL    -- v5 only
/// }
/// -- GM/T 0031-2014 (v1)
/// SESeal ::= SEQUENCE {
///     esealInfo    SES_SealInfo,
///     signInfo     SES_SignInfo               -- signs SEQUENCE{SES_SealInfo, cert, signatureAlgorithm}
/// }
/// ```
///
/// A seal is a signed record, so a value of this type only comes from bytes (``init(bytes:)`` or a
/// ``SealBuilder``), and it keeps them: ``derEncoded`` is the seal as read and ``makerSignedContent`` the exact
/// bytes the maker signed. Verification always uses those, never a re-encoding. ``serialize(into:)`` re-encodes
/// field for field in strict DER (byte-identical for a strict-DER seal).
public struct SESeal: Hashable, Sendable, DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    /// The layout, from the structure: two elements is v1; four is v4 (v5 when the header says 5); five is v5.
    public let version: SESVersion
    public let sealInfo: SESSealInfo
    /// The maker's certificate, algorithm and signature (a SEQUENCE in v1, flat fields in v4/v5).
    public let signInfo: SESSignInfo
    /// v5 only: a DER TimeStampToken over the maker signature.
    public let timeStamp: ArraySlice<UInt8>?
    /// The seal exactly as read.
    public let derEncoded: ArraySlice<UInt8>
    /// The bytes the seal maker signed: DER(SES_SealInfo) for v4/v5, `SEQUENCE{SES_SealInfo, cert, alg}` for v1,
    /// both built from the original element bytes.
    public let makerSignedContent: [UInt8]

    /// Parses a seal (a `.esl` file, or the `eseal` inside a seal signature), tolerating what real signers write.
    ///
    /// - Throws: ``ElectronicSealError`` (never anything else) when the bytes are not a seal.
    public init(bytes: some Collection<UInt8>) throws {
        let buffer = Array(bytes)
        do {
            try self.init(derEncoded: try LenientDER.parseRoot(buffer[...]))
        } catch {
            throw LenientDER.wrap(error, "SESeal")
        }
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let fields = try LenientDER.children(node, "SESeal", identifier: identifier)
        guard let first = fields.first else { throw ElectronicSealError.structure("SESeal is empty") }
        if first.identifier == .objectIdentifier {
            throw ElectronicSealError(.notASealSignature, "a ContentInfo was given where a seal was expected")
        }
        let sealInfo = try SESSealInfo(derEncoded: first)
        self.sealInfo = sealInfo
        let sealInfoBytes = first.encodedBytes
        if fields.count == 2, fields[1].identifier == .sequence {
            self.version = .v1
            let signInfo = try SESSignInfo(derEncoded: fields[1])
            self.signInfo = signInfo
            self.timeStamp = nil
            var coder = DER.Serializer()
            coder.appendConstructedNode(identifier: .sequence) { coder in
                coder.serializeRawBytes(sealInfoBytes)
                coder.serializeRawBytes(signInfo.certificateField ?? [])
                coder.serializeRawBytes(signInfo.signatureAlgorithmField ?? [])
            }
            self.makerSignedContent = coder.serializedBytes
        } else if fields.count == 4 || fields.count == 5 {
            self.signInfo = try SESSignInfo(fields: fields[1], fields[2], fields[3], "SESeal")
            self.timeStamp = fields.count == 5 ? try SESTimeStampField.decode(fields[4], "SESeal.timeStamp") : nil
            self.version = fields.count == 5 || sealInfo.header.version == 5 ? .v5 : .v4
            self.makerSignedContent = Array(sealInfoBytes)
        } else {
            throw ElectronicSealError.structure("SESeal has \(fields.count) elements; expected 2 (v1) or 4–5 (v4/v5)")
        }
        self.derEncoded = node.encodedBytes
    }

    /// Re-encodes the seal field for field in strict DER.
    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(sealInfo)
            switch version {
            case .v1:
                try coder.serialize(signInfo)
            case .v4, .v5:
                try signInfo.serializeFields(into: &coder)
                if let timeStamp { try SESTimeStampField.serialize(timeStamp, into: &coder) }
            }
        }
    }

    /// The strict-DER re-encoding (see ``serialize(into:withIdentifier:)``); ``derEncoded`` is what was read.
    public func serializedBytes() throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(self)
        return coder.serializedBytes
    }

    // MARK: - Convenience

    /// The seal name (印章名称).
    public var name: String { sealInfo.property.name }
    /// The seal identifier (印章标识).
    public var esID: String { sealInfo.esID }
    /// The seal maker's certificate (DER).
    public var makerCertificate: ArraySlice<UInt8> { signInfo.certificate }
    /// The seal picture.
    public var picture: SESPictureInfo { sealInfo.picture }
}
