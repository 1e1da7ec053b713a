internal import CSealSSL
import SwiftASN1

/// A public key (SM2, ECDSA or RSA) from a SubjectPublicKeyInfo.
public final class PublicKey: Sendable, Hashable, CustomStringConvertible {
    let key: EVPKey
    /// The DER SubjectPublicKeyInfo.
    public let spkiDER: [UInt8]

    /// Parses a DER SubjectPublicKeyInfo.
    public init(spkiDER: [UInt8]) throws(CryptoError) {
        let loaded: OpaquePointer
        do {
            loaded = try Self.decode(spkiDER)
        } catch {
            // Some older Chinese certificates name the key algorithm with the SM2 OID itself
            // (1.2.156.10197.1.301) instead of id-ecPublicKey + the SM2 curve: rewrite and retry.
            guard let rewritten = Self.standardSM2SPKI(spkiDER) else { throw error }
            loaded = try Self.decode(rewritten)
        }
        self.key = try EVPKey.normalized(EVPKey(takingOwnership: loaded), isPrivate: false)
        self.spkiDER = spkiDER
    }

    private static func decode(_ der: [UInt8]) throws(CryptoError) -> OpaquePointer {
        try der.withUnsafeBufferPointer { buffer throws(CryptoError) in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return try osslPointer("d2i_PUBKEY", code: .invalidKey) { d2i_PUBKEY(nil, &cursor, buffer.count) }
        }
    }

    /// `SEQUENCE { SEQUENCE { id-ecPublicKey, sm2 }, BIT STRING }` for an SPKI whose algorithm is the bare SM2 OID.
    static func standardSM2SPKI(_ der: [UInt8]) -> [UInt8]? {
        guard let root = try? DERReading.parse(der), let parts = try? DERReading.children(root), parts.count == 2,
            let algorithm = try? DERReading.children(parts[0]), let oidNode = algorithm.first,
            let oid = try? DERReading.oid(oidNode), oid == OIDs.sm2Curve || oid == OIDs.sm2Sign
        else { return nil }
        return try? DERWriting.build { coder in
            try coder.appendConstructedNode(identifier: .sequence) { spki in
                try spki.appendConstructedNode(identifier: .sequence) { identifier in
                    try identifier.serialize(OIDs.ecPublicKey)
                    try identifier.serialize(OIDs.sm2Curve)
                }
                spki.serialize(parts[1])
            }
        }
    }

    /// Parses a PEM `PUBLIC KEY`.
    public convenience init(pem: String) throws(CryptoError) {
        let document = try PEM.decode(pem, expecting: ["PUBLIC KEY"])
        try self.init(spkiDER: document.der)
    }

    init(evpKey: EVPKey) throws(CryptoError) {
        let der = try i2dBytes("i2d_PUBKEY") { i2d_PUBKEY(evpKey.ref, $0) }
        self.key = try EVPKey.normalized(evpKey, isPrivate: false)
        self.spkiDER = der
    }

    /// The key type.
    public var algorithm: KeyAlgorithm { key.algorithm }

    /// True for SM2 keys.
    public var isSM2: Bool { algorithm == .sm2 }

    /// PEM `PUBLIC KEY`.
    public var pemRepresentation: String { PEM.encode(label: "PUBLIC KEY", der: spkiDER) }

    /// Checks a signature over `message`.
    ///
    /// SM2 and ECDSA signatures are DER `SEQUENCE { r, s }`; a raw fixed-width `r‖s` is accepted as well.
    /// SM2 uses `sm2ID` (default `1234567812345678`). Returns false for any mismatch, never throws.
    public func verify(
        signature: [UInt8], for message: [UInt8], algorithm: SignatureAlgorithm,
        sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) -> Bool {
        message.withUnsafeBytes { verify(signature: signature, for: $0, algorithm: algorithm, sm2ID: sm2ID) }
    }

    /// Checks a signature over raw memory (see ``verify(signature:for:algorithm:sm2ID:)-(_,[UInt8],_,_)``).
    public func verify(
        signature: [UInt8], for message: UnsafeRawBufferPointer, algorithm: SignatureAlgorithm,
        sm2ID: [UInt8] = SM2.defaultDistinguishingID
    ) -> Bool {
        if SignatureOperation.verify(key: key, signature: signature, message: message, algorithm: algorithm, sm2ID: sm2ID) {
            return true
        }
        let isEC = algorithm == .sm2WithSM3 || self.algorithm.isECDSA
        guard isEC else { return false }
        // Sloppy DER (no sign octet, extra zeros, zero padding after the SEQUENCE): same (r, s), canonical form.
        if let canonical = ECSignatureEncoding.canonicalDER(signature), canonical != signature {
            return SignatureOperation.verify(key: key, signature: canonical, message: message, algorithm: algorithm, sm2ID: sm2ID)
        }
        // Raw r||s (GM/T signers, some HSMs): 64 bytes for SM2/P-256, 96 for P-384, 132 for P-521.
        guard [64, 96, 132].contains(signature.count), !ECSignatureEncoding.isDER(signature),
            let der = try? ECSignatureEncoding.derFromRaw(signature)
        else { return false }
        return SignatureOperation.verify(key: key, signature: der, message: message, algorithm: algorithm, sm2ID: sm2ID)
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool { lhs.spkiDER == rhs.spkiDER }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(spkiDER) }
    public var description: String { "PublicKey(\(algorithm))" }
}
