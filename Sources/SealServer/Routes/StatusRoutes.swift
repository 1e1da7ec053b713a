import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore
import SealStatus

/// The seal status service (no login): `GET /status/v1/seals/{esID}` and `GET /status/v1/certificate`.
///
/// 200 with the signed JSON document (signature in the `SealPress-Signature` header), `ETag` and
/// `Cache-Control: public, max-age=N`; 304 when `If-None-Match` names the current ETag; 404 for an unknown esID;
/// 503 when the server has no status key or cannot read the registry. See Docs/status-service.md.
public func addStatusRoutes<Context: RequestContext>(to router: Router<Context>, responder: SealStatusResponder) {
    let signatureHeader = HTTPField.Name(StatusHTTP.signatureHeader)!
    router.get("/status/v1/seals/:esID") { request, context -> Response in
        guard let esID = context.parameters.get("esID"), !esID.isEmpty, esID.utf8.count <= 256 else {
            return JSONResponse.error(.badRequest, code: "badRequest", "give the seal's esID: /status/v1/seals/{esID}")
        }
        let answer = await responder.result(esID: esID)
        guard case .success(let signed) = answer else {
            if case .failure(let error) = answer {
                return JSONResponse.error(.serviceUnavailable, code: error.code.description, error.reason)
            }
            return JSONResponse.error(.internalServerError, code: "internal", "no answer")
        }
        guard let signed else {
            return JSONResponse.error(.notFound, code: "unknownSeal", "no seal with this esID is registered here")
        }
        var headers: HTTPFields = [:]
        headers[.eTag] = signed.etag
        headers[.cacheControl] = "public, max-age=\(responder.maxAge)"
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == signed.etag || $0 == "*" })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[signatureHeader] = Data(signed.signatureDER).base64EncodedString()
        return JSONResponse.make(.ok, signed.body, headers: headers)
    }
    router.get("/status/v1/certificate") { _, _ -> Response in
        guard let signer = responder.signer else {
            return JSONResponse.error(.serviceUnavailable, code: "statusKeyUnusable", "this server has no status key")
        }
        var headers: HTTPFields = [:]
        headers[.contentType] = "application/pem-certificate-chain"
        headers[.cacheControl] = "public, max-age=\(responder.maxAge)"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: .init(string: signer.certificatesPEM)))
    }
}
