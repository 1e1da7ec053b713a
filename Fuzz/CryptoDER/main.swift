// libFuzzer entry point for SealCrypto's parsers: certificates, CRLs, CMS SignedData (+ verification and the
// signer's certificate lookup), RFC 3161 request/response/TSTInfo/token (+ verification of the response's token),
// names, public and private keys (DER and PEM), EC signatures and the GB18030 decoder used for seal names.
// PKCS#12 is left out: key files are the operator's own input, and their KDF iteration count is theirs to choose.
// Built by Fuzz/CryptoDER/build.sh, outside the package build; see Docs/reliability.md, "Fuzzing".
@testable import SealCrypto

/// Runs one parser; anything thrown must be a CryptoError.
private func typed(_ name: StaticString, _ body: () throws -> Void) {
    do {
        try body()
    } catch is CryptoError {
    } catch {
        fatalError("untyped error from \(name): \(type(of: error))")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func cryptoDERFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    typed("Certificate") {
        let certificate = try Certificate(der: bytes)
        _ = certificate.subject
        _ = certificate.issuerName.description
        _ = certificate.isSignatureValid(issuerKey: certificate.publicKey)
    }
    typed("CRL") { _ = try CertificateRevocationList(der: bytes) }
    typed("CMSSignedData") {
        let signedData = try CMSSignedData(der: bytes)
        _ = signedData.verify(content: [0x61, 0x62, 0x63])
        for signer in signedData.signerInfos.prefix(4) { _ = signedData.certificate(for: signer) }
    }
    typed("TSTInfo") { _ = try TSTInfo(der: bytes) }
    typed("TimeStampRequest") { _ = try TimeStampRequest(der: bytes) }
    typed("TimeStampResponse") {
        let response = try TimeStampResponse(der: bytes)
        if let token = response.tokenDER { _ = TimeStampVerification.verify(tokenDER: token, messageImprintOf: [1]) }
        _ = try? response.derEncoded()
    }
    _ = TimeStampVerification.verify(tokenDER: bytes, messageImprintOf: [1])
    typed("DistinguishedName") { _ = try DistinguishedName(der: bytes).description }
    typed("PublicKey") { _ = try PublicKey(spkiDER: bytes) }
    typed("PrivateKey") { _ = try PrivateKey(der: bytes) }
    typed("ECSignature") { _ = try ECSignatureEncoding.rawFromDER(bytes) }
    _ = GB18030.decode(bytes[...])
    // PEM: the same bytes as text (certificates, CRLs and keys arrive as PEM files and in JSON fields).
    if bytes.count < 65_536, let text = String(validating: bytes, as: UTF8.self) {
        typed("PEM") { _ = try PEM.documents(in: text) }
        typed("Certificate(pem:)") { _ = try Certificate(pem: text) }
        typed("CRL(pem:)") { _ = try CertificateRevocationList(pem: text) }
        typed("PublicKey(pem:)") { _ = try PublicKey(pem: text) }
        typed("PrivateKey(pem:)") { _ = try PrivateKey(pem: text, password: "x") }
    }
    return 0
}
