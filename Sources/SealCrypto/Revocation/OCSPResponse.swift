import Foundation
internal import CSealSSL

/// An OCSP response (RFC 6960 §4.2), parsed once; judged against a certificate with ``status(of:issuer:request:)``.
public final class OCSPResponse: @unchecked Sendable, Hashable {
    // @unchecked: the OpenSSL objects are created in init and only read afterwards (OpenSSL's OCSP getters and
    // OCSP_basic_verify do not modify the response).
    /// The exact DER bytes (what a PDF's DSS /OCSPs stream holds).
    public let der: [UInt8]
    /// OCSPResponseStatus: 0 successful, 1 malformedRequest, 2 internalError, 3 tryLater, 5 sigRequired, 6 unauthorized.
    public let responseStatus: Int
    /// producedAt of a successful response.
    public let producedAt: Date?
    private let response: OCSPResponseObject
    private let basic: OCSPBasicResponseObject?

    /// Parses a DER `OCSPResponse`.
    public init(der: [UInt8]) throws(CryptoError) {
        let parsed = try der.withUnsafeBufferPointer { buffer throws(CryptoError) in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return try osslPointer("d2i_OCSP_RESPONSE", code: .malformedOCSP) {
                d2i_OCSP_RESPONSE(nil, &cursor, buffer.count)
            }
        }
        self.response = OCSPResponseObject(takingOwnership: parsed)
        self.der = der
        self.responseStatus = Int(OCSP_response_status(parsed))
        if responseStatus == Int(OCSP_RESPONSE_STATUS_SUCCESSFUL) {
            let basic = try osslPointer("OCSP_response_get1_basic", code: .malformedOCSP) {
                OCSP_response_get1_basic(parsed)
            }
            self.basic = OCSPBasicResponseObject(takingOwnership: basic)
            self.producedAt = OCSP_resp_get0_produced_at(basic).flatMap { Self.date($0) }
        } else {
            self.basic = nil
            self.producedAt = nil
        }
    }

    /// What the response says about one certificate, or why it says nothing usable.
    public enum Evaluation: Sendable, Hashable {
        case status(RevocationStatus)
        case unusable(String)
    }

    /// Judges the response for `certificate` issued by `issuer`: the responder is the issuer itself or a
    /// certificate the issuer delegated with id-kp-OCSPSigning (valid when the response was produced), the
    /// response's signature verifies with the responder's key, a nonce present on both sides matches, and a
    /// SingleResponse answers for the certificate's CertID. Freshness (thisUpdate/nextUpdate against the
    /// validation time) is the caller's decision.
    public func status(of certificate: Certificate, issuer: Certificate, request: OCSPRequest? = nil) -> Evaluation {
        guard let basic else { return .unusable("the responder answered \(Self.statusName(responseStatus))") }
        do throws(CryptoError) {
            let issuerObject = try X509Object(der: issuer.der)
            // The SingleResponse for this CertID first: a DSS holds responses for many certificates, and only
            // one that answers for this certificate is judged (and its problems reported).
            let subject = try X509Object(der: certificate.der)
            let id = OCSPCertIDObject(
                takingOwnership: try osslPointer("OCSP_cert_to_id") {
                    OCSP_cert_to_id(EVP_sha1(), subject.ref, issuerObject.ref)
                })
            var state: Int32 = -1
            var reason: Int32 = -1
            var revoked: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            var thisUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            var nextUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            guard OCSP_resp_find_status(basic.ref, id.ref, &state, &reason, &revoked, &thisUpdate, &nextUpdate) == 1
            else {
                return .unusable(Self.noStatusReason)
            }
            let stack = try X509StackObject([issuerObject])
            var signerRef: OpaquePointer?
            guard OCSP_resp_get0_signer(basic.ref, &signerRef, stack.ref) == 1, let signerRef else {
                CSealSSL_ERR_clear()
                return .unusable("the response names a responder whose certificate it does not include")
            }
            let responder = try Certificate(der: try i2dBytes("i2d_X509") { i2d_X509(signerRef, $0) })
            let isIssuer = responder == issuer
                || (responder.subjectName.matches(issuer.subjectName) && responder.publicKey == issuer.publicKey)
            if !isIssuer {
                guard responder.isIssued(by: issuer), responder.allowsOCSPSigning else {
                    return .unusable(
                        "the responder \(responder.subject) is neither the issuer nor delegated by it for OCSP signing")
                }
                if let producedAt, !responder.isValid(at: producedAt) {
                    return .unusable("the responder certificate was not valid when the response was produced")
                }
            }
            // Verified with exactly the responder judged above (NOINTERN: OpenSSL would otherwise look the
            // signer up again, in another order); its chain was checked here, not by OpenSSL (NOVERIFY).
            let responderStack = try X509StackObject([try X509Object(der: responder.der)])
            CSealSSL_ERR_clear()
            guard OCSP_basic_verify(basic.ref, responderStack.ref, nil, UInt(OCSP_NOVERIFY | OCSP_NOINTERN)) > 0 else {
                CSealSSL_ERR_clear()
                return .unusable("the response's signature does not verify with the responder's key")
            }
            if let request, OCSP_check_nonce(request.request.ref, basic.ref) == 0 {
                return .unusable("the response's nonce does not match the request's")
            }
            guard let thisUpdate, let thisDate = Self.date(thisUpdate) else {
                return .unusable("the response has no readable thisUpdate")
            }
            let outcome: RevocationStatus.State
            switch state {
            case V_OCSP_CERTSTATUS_GOOD: outcome = .good
            case V_OCSP_CERTSTATUS_REVOKED:
                guard let revoked, let date = Self.date(revoked) else {
                    return .unusable("the response says revoked without a readable revocation time")
                }
                outcome = .revoked(date, reason: reason >= 0 ? String(cString: OCSP_crl_reason_str(Int(reason))) : nil)
            default: outcome = .unknown
            }
            return .status(
                RevocationStatus(
                    state: outcome, source: .ocsp, thisUpdate: thisDate, nextUpdate: nextUpdate.flatMap { Self.date($0) }))
        } catch {
            CSealSSL_ERR_clear()
            return .unusable("the response cannot be evaluated: \(error.reason)")
        }
    }

    /// Why a response that answers for other certificates only is unusable (one DSS holds many).
    public static let noStatusReason = "the response has no status for this certificate"

    static func statusName(_ status: Int) -> String {
        switch status {
        case 1: "malformedRequest"
        case 2: "internalError"
        case 3: "tryLater"
        case 5: "sigRequired"
        case 6: "unauthorized"
        default: "status \(status)"
        }
    }

    /// An ASN1_GENERALIZEDTIME as a Date (through its DER, read like every other time in SealCrypto).
    private static func date(_ time: UnsafePointer<ASN1_GENERALIZEDTIME>) -> Date? {
        guard let der = try? i2dBytes("i2d_ASN1_GENERALIZEDTIME", { i2d_ASN1_GENERALIZEDTIME(time, $0) }),
            let node = try? DERReading.parse(der)
        else { return nil }
        return try? DERReading.time(node)
    }

    private static func date(_ time: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>) -> Date? {
        date(UnsafePointer(time))
    }

    public static func == (lhs: OCSPResponse, rhs: OCSPResponse) -> Bool { lhs.der == rhs.der }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(der) }
}
