import Foundation
public import SwiftASN1
import Synchronization

/// A small RFC 3161 time-stamping authority: answers requests in process, producing real tokens signed by its
/// ``Signer``. Serving it over HTTP (`sealpress tsa serve`) is SealSideServer's `TimeStampServer`, which calls the
/// pure ``respond(to:)``; SealCrypto itself has no network code.
///
/// Tokens carry the TSA certificate (when requested), ESS signingCertificateV2, and a unique serial number.
public final class LocalTimeStampAuthority: TimeStampProvider, Sendable {
    public let signer: any Signer
    public let policy: ASN1ObjectIdentifier
    private let clock: @Sendable () -> Date
    private let serialCounter = Mutex<UInt64>(0)
    private let serialPrefix: [UInt8]

    /// - Parameters:
    ///   - signer: must have a certificate with extendedKeyUsage timeStamping.
    ///   - policy: the TSA policy OID written into tokens.
    ///   - clock: the time source (tests can pin it).
    public init(
        signer: any Signer, policy: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 99999, 1, 1],
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(CryptoError) {
        guard let certificate = signer.certificate, certificate.allowsTimeStamping else {
            throw CryptoError(.invalidArgument, "a TSA needs a certificate with extendedKeyUsage timeStamping")
        }
        self.signer = signer
        self.policy = policy
        self.clock = clock
        var prefix = (0..<8).map { _ in UInt8.random(in: 0...255) }
        prefix[0] = (prefix[0] & 0x7f) | 0x01
        self.serialPrefix = prefix
    }

    /// A token for a digest, in process (no HTTP).
    public func timeStampToken(digest: [UInt8], algorithm: DigestAlgorithm) throws -> [UInt8] {
        try token(for: TimeStampRequest(digest: digest, algorithm: algorithm, nonce: nil))
    }

    /// Answers a DER TimeStampReq with a DER TimeStampResp (a rejection for bad requests, never a throw).
    public func respond(to requestDER: [UInt8]) -> [UInt8] {
        let response: TimeStampResponse
        do {
            let request = try TimeStampRequest(der: requestDER)
            guard let algorithm = request.hashAlgorithm, algorithm != .sha1,
                request.hashedMessage.count == algorithm.outputByteCount
            else {
                response = TimeStampResponse(status: 2, statusText: "unsupported hash algorithm", tokenDER: nil)
                return (try? response.derEncoded()) ?? []
            }
            response = TimeStampResponse(status: 0, tokenDER: try token(for: request))
        } catch {
            let rejection = TimeStampResponse(status: 2, statusText: "bad request", tokenDER: nil)
            return (try? rejection.derEncoded()) ?? []
        }
        return (try? response.derEncoded()) ?? []
    }

    private func token(for request: TimeStampRequest) throws -> [UInt8] {
        guard let algorithm = request.hashAlgorithm else {
            throw CryptoError(.unsupportedAlgorithm, "unknown imprint hash algorithm")
        }
        let serial = serialCounter.withLock { counter -> UInt64 in
            counter += 1
            return counter
        }
        let serialBytes = serialPrefix + (0..<8).map { UInt8(truncatingIfNeeded: serial >> (8 * (7 - $0))) }
        let info = TSTInfo(
            policy: request.policy ?? policy, hashAlgorithm: algorithm, hashedMessage: request.hashedMessage,
            serialNumber: serialBytes, genTime: clock(), accuracySeconds: 1, nonce: request.nonce)
        let content = try info.derEncoded()
        let tokenDigest: DigestAlgorithm = signer.algorithm.digest
        return try CMSSignedData.sign(
            contentType: OIDs.tstInfo, attachedContent: content, contentDigest: Digest.hash(tokenDigest, content),
            digestAlgorithm: tokenDigest, signer: signer,
            options: CMSSignOptions(signingTime: nil, oidStyle: .pkcs7, includeChain: request.certificateRequested))
    }
}
