internal import CSealSSL

/// An OCSP request for one certificate (RFC 6960 §4.1), with a nonce.
///
/// Keeps the CertID it asked about, so a response can be matched to it, and the request, so the response's
/// nonce can be compared.
public final class OCSPRequest: @unchecked Sendable {
    // @unchecked: the OpenSSL objects are created in init and only read afterwards.
    /// The DER `OCSPRequest` to POST as `application/ocsp-request`.
    public let der: [UInt8]
    let certID: OCSPCertIDObject
    let request: OCSPRequestObject

    /// Builds a request for `certificate` issued by `issuer` (CertID with SHA-1, as every responder accepts).
    ///
    /// - Parameter nonce: adds a random 16-byte nonce extension (RFC 8954); many cached responders ignore it.
    public init(certificate: Certificate, issuer: Certificate, nonce: Bool = true) throws(CryptoError) {
        let subject = try X509Object(der: certificate.der)
        let issuerObject = try X509Object(der: issuer.der)
        let id = try osslPointer("OCSP_cert_to_id") { OCSP_cert_to_id(EVP_sha1(), subject.ref, issuerObject.ref) }
        self.certID = OCSPCertIDObject(takingOwnership: id)
        let request = OCSPRequestObject(
            takingOwnership: try osslPointer("OCSP_REQUEST_new") { OCSP_REQUEST_new() })
        self.request = request
        // The request takes ownership of the id it is given, so it gets a copy.
        let copy = try osslPointer("OCSP_CERTID_dup") { OCSP_CERTID_dup(id) }
        guard OCSP_request_add0_id(request.ref, copy) != nil else {
            OCSP_CERTID_free(copy)
            throw CryptoError(.openSSL, "cannot build the OCSP request", detail: drainOpenSSLErrors())
        }
        if nonce {
            try ossl("OCSP_request_add1_nonce") { OCSP_request_add1_nonce(request.ref, nil, 16) }
        }
        self.der = try i2dBytes("i2d_OCSP_REQUEST") { i2d_OCSP_REQUEST(request.ref, $0) }
    }
}
