// libFuzzer entry point for SealCrypto's DER parsers: certificates, CRLs, CMS SignedData (+ verification),
// RFC 3161 request/response/TSTInfo/token, names, keys, PKCS#12, EC signatures.
// Built by Fuzz/CryptoDER/build.sh, outside the package build; see Docs/crypto.md.

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
        _ = certificate.isSignatureValid(issuerKey: certificate.publicKey)
    }
    typed("CRL") { _ = try CertificateRevocationList(der: bytes) }
    typed("CMSSignedData") {
        let signedData = try CMSSignedData(der: bytes)
        _ = signedData.verify(content: [0x61, 0x62, 0x63])
    }
    typed("TSTInfo") { _ = try TSTInfo(der: bytes) }
    typed("TimeStampRequest") { _ = try TimeStampRequest(der: bytes) }
    typed("TimeStampResponse") { _ = try TimeStampResponse(der: bytes) }
    _ = TimeStampVerification.verify(tokenDER: bytes, messageImprintOf: [1])
    typed("DistinguishedName") { _ = try DistinguishedName(der: bytes) }
    typed("PublicKey") { _ = try PublicKey(spkiDER: bytes) }
    typed("ECSignature") { _ = try ECSignatureEncoding.rawFromDER(bytes) }
    return 0
}
