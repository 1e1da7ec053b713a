internal import CSealSSL
import SwiftASN1

/// The DigestInfo an RSA PKCS#1 v1.5 signature carries (RFC 8017 §9.2), recovered with the signer's public key:
/// what `adbe.x509.rsa_sha1` PDF signatures are checked with, since they have no CMS around the value.
///
/// Recovering the block (instead of verifying against one expected digest) tells a value that is not a signature
/// of this key apart from a signature over other bytes, and names the hash the signer chose.
public struct PKCS1DigestInfo: Sendable, Hashable {
    /// The digestAlgorithm's OID.
    public var algorithmOID: ASN1ObjectIdentifier
    /// The algorithm, nil when SealCrypto does not know the OID.
    public var algorithm: DigestAlgorithm? { DigestAlgorithm(oid: algorithmOID) }
    public var digest: [UInt8]

    /// Parses a DER DigestInfo `SEQUENCE { AlgorithmIdentifier, OCTET STRING }`; nil when it is not one.
    public init?(der: [UInt8]) {
        guard let node = try? DERReading.parse(der), let fields = try? DERReading.children(node), fields.count == 2,
            let algorithm = try? DERReading.children(fields[0]), let first = algorithm.first,
            let oid = try? DERReading.oid(first), let digest = try? DERReading.octets(fields[1])
        else { return nil }
        self.algorithmOID = oid
        self.digest = digest
    }

    /// The DigestInfo inside `signature` under `key`: the RSA public operation and the PKCS#1 v1.5 type 1 padding
    /// check. Nil when the key is not RSA, or the value is not a PKCS#1 v1.5 signature block made with its private
    /// key (a wrong key, a damaged value), or the block does not hold a DigestInfo.
    public static func recover(signature: [UInt8], key: PublicKey) -> PKCS1DigestInfo? {
        guard key.algorithm.isRSA, let context = try? PKeyContext(for: key.key) else { return nil }
        ERR_clear_error()
        defer { ERR_clear_error() }
        guard EVP_PKEY_verify_recover_init(context.ref) == 1,
            EVP_PKEY_CTX_set_rsa_padding(context.ref, RSA_PKCS1_PADDING) == 1
        else { return nil }
        var length = max(Int(EVP_PKEY_get_size(key.key.ref)), 16)
        var block = [UInt8](repeating: 0, count: length)
        let ok = block.withUnsafeMutableBufferPointer { out in
            signature.withUnsafeBufferPointer {
                EVP_PKEY_verify_recover(context.ref, out.baseAddress, &length, $0.baseAddress, $0.count)
            }
        }
        guard ok == 1 else { return nil }
        return PKCS1DigestInfo(der: Array(block.prefix(length)))
    }
}

extension PKCS1DigestInfo {
    /// The content of the DER OCTET STRING at the start of `bytes` (an `adbe.x509.rsa_sha1` /Contents; the zero
    /// padding of the reservation after it is ignored). Nil when `bytes` does not start with one.
    public static func octetString(atStartOf bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 2, bytes[0] == 0x04 else { return nil }
        var length = Int(bytes[1])
        var start = 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count >= 1, count <= 4, bytes.count >= 2 + count else { return nil }
            length = bytes[2..<(2 + count)].reduce(0) { $0 << 8 | Int($1) }
            start = 2 + count
        }
        guard length > 0, bytes.count >= start + length else { return nil }
        guard bytes[(start + length)...].allSatisfy({ $0 == 0 }) else { return nil }
        return Array(bytes[start..<(start + length)])
    }
}
