import SwiftASN1

/// An electronic seal signature (电子签章数据): a seal applied to a document.
///
/// ```asn1
/// -- GB/T 38540-2020 (v4, v5)
/// SES_Signature ::= SEQUENCE {
///     toSign          TBS_Sign,
///     cert            OCTET STRING,             -- 签章者证书 (not signed in v4)
///     signatureAlgID  OBJECT IDENTIFIER,        -- 1.2.156.10197.1.501
///     signature       BIT STRING,               -- over DER(toSign)
///     timeStamp       [0] BIT STRING OPTIONAL   -- RFC 3161 TimeStampToken over the signature value
/// }
/// -- GM/T 0031-2014 (v1)
/// SES_Signature ::= SEQUENCE {
///     toSign     TBS_Sign,                      -- holds the signer cert and algorithm
///     signature  BIT STRING
/// }
/// ```
///
/// Like ``SESeal``, a value comes only from bytes and keeps them: ``signedContent`` is the exact `toSign`
/// element as read, which is what the signature covers.
public struct SESSignature: Hashable, Sendable, DERImplicitlyTaggable {
    public static var defaultIdentifier: ASN1Identifier { .sequence }

    /// The layout, from the structure: two elements is v1; four or five is v4 (v5 when the seal or TBS says 5).
    public let version: SESVersion
    public let toSign: TBSSign
    /// The signer certificate (DER): `cert` in v4, `toSign.cert` in v1.
    public let signerCertificate: ArraySlice<UInt8>
    /// `signatureAlgID` in v4, `toSign.signatureAlgorithm` in v1.
    public let signatureAlgorithm: ASN1ObjectIdentifier
    /// The signature value as written.
    public let signature: SESBitString
    /// v4/v5: a DER TimeStampToken over the signature value, when present.
    public let timeStamp: ArraySlice<UInt8>?
    /// The signature exactly as read.
    public let derEncoded: ArraySlice<UInt8>
    /// The bytes the signature covers: the original `toSign` element.
    public let signedContent: ArraySlice<UInt8>

    /// Parses an `SES_Signature` (an OFD `SignedValue.dat`, or the seal signature in a PDF), tolerating what real
    /// signers write.
    ///
    /// - Throws: ``ElectronicSealError`` (never anything else); ``ElectronicSealError/Code/notASealSignature``
    ///   for a GB/T 35275 ContentInfo (an OFD `Type="Sign"` signature).
    public init(bytes: some Collection<UInt8>) throws {
        let buffer = Array(bytes)
        do {
            try self.init(derEncoded: try LenientDER.parseRoot(buffer[...]))
        } catch {
            throw LenientDER.wrap(error, "SES_Signature")
        }
    }

    public init(derEncoded node: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        let fields = try LenientDER.children(node, "SES_Signature", identifier: identifier)
        guard let first = fields.first else { throw ElectronicSealError.structure("SES_Signature is empty") }
        if first.identifier == .objectIdentifier {
            throw ElectronicSealError(
                .notASealSignature, "a GB/T 35275 ContentInfo, not an SES_Signature (an OFD Sign-type signature)")
        }
        let toSign = try TBSSign(derEncoded: first)
        self.toSign = toSign
        self.signedContent = first.encodedBytes
        if fields.count == 2 {
            guard let certificate = toSign.signerCertificate, let algorithm = toSign.signatureAlgorithm else {
                throw ElectronicSealError.structure("a two-element SES_Signature needs the GM/T 0031-2014 TBS_Sign")
            }
            self.version = .v1
            self.signerCertificate = certificate
            self.signatureAlgorithm = algorithm
            self.signature = try SESBitString.reading(fields[1], "SES_Signature.signature")
            self.timeStamp = nil
        } else if fields.count == 4 || fields.count == 5 {
            guard !toSign.isGMT0031Layout else {
                throw ElectronicSealError.structure("a GB/T 38540 SES_Signature holds a GM/T 0031-2014 TBS_Sign")
            }
            self.version = toSign.eseal.version == .v5 || toSign.version == 5 ? .v5 : .v4
            self.signerCertificate = try LenientDER.certificate(fields[1], "SES_Signature.cert")
            self.signatureAlgorithm = try LenientDER.objectIdentifier(fields[2], "SES_Signature.signatureAlgID")
            self.signature = try SESBitString.reading(fields[3], "SES_Signature.signature")
            self.timeStamp = fields.count == 5 ? try SESTimeStampField.decode(fields[4], "SES_Signature.timeStamp") : nil
        } else {
            throw ElectronicSealError.structure(
                "SES_Signature has \(fields.count) elements; expected 2 (v1) or 4–5 (v4/v5)")
        }
        self.derEncoded = node.encodedBytes
    }

    /// Re-encodes field for field in strict DER (the embedded seal keeps its original bytes).
    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(toSign)
            if version != .v1 {
                try coder.serialize(StrictDER.octets(signerCertificate))
                try coder.serialize(signatureAlgorithm)
            }
            try coder.serialize(signature)
            if version != .v1, let timeStamp { try SESTimeStampField.serialize(timeStamp, into: &coder) }
        }
    }

    /// The strict-DER re-encoding; ``derEncoded`` is what was read.
    public func serializedBytes() throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(self)
        return coder.serializedBytes
    }

    /// The seal applied.
    public var seal: SESeal { toSign.eseal }
}
