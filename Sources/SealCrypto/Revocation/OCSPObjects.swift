internal import CSealSSL

/// Owns one `OCSP_CERTID` (the hash of an issuer's name and key plus a serial, RFC 6960 §4.1.1).
final class OCSPCertIDObject {
    let ref: OpaquePointer
    init(takingOwnership ref: OpaquePointer) { self.ref = ref }
    deinit { OCSP_CERTID_free(ref) }
}

/// Owns one `OCSP_REQUEST`.
final class OCSPRequestObject {
    let ref: OpaquePointer
    init(takingOwnership ref: OpaquePointer) { self.ref = ref }
    deinit { OCSP_REQUEST_free(ref) }
}

/// Owns one `OCSP_RESPONSE`.
final class OCSPResponseObject {
    let ref: OpaquePointer
    init(takingOwnership ref: OpaquePointer) { self.ref = ref }
    deinit { OCSP_RESPONSE_free(ref) }
}

/// Owns one `OCSP_BASICRESP` (from `OCSP_response_get1_basic`, a copy the response does not own).
final class OCSPBasicResponseObject {
    let ref: OpaquePointer
    init(takingOwnership ref: OpaquePointer) { self.ref = ref }
    deinit { OCSP_BASICRESP_free(ref) }
}

/// Owns one `STACK_OF(X509)` and the certificates pushed onto it.
final class X509StackObject {
    let ref: OpaquePointer
    init(_ certificates: [X509Object]) throws(CryptoError) {
        self.ref = try osslPointer("sk_X509_new_null") { CSealSSL_sk_X509_new_null() }
        for certificate in certificates {
            // The stack holds its own reference, freed by pop_free.
            X509_up_ref(certificate.ref)
            guard CSealSSL_sk_X509_push(ref, certificate.ref) > 0 else {
                X509_free(certificate.ref)
                throw CryptoError(.openSSL, "cannot collect certificates")
            }
        }
    }
    deinit { CSealSSL_sk_X509_pop_free(ref) }
}
