// libFuzzer entry point for our decoding of the services' bodies (the HTTP parsing around them is Hummingbird's):
//   - `keys serve`: a `POST /keys/NAME/sign` body, decoded and checked as SigningDesk does before signing;
//   - the remote signer client: the service's answers (key description, signature, error), decoded and checked;
//   - the console: `application/x-www-form-urlencoded` bodies (log-in, account forms) and the upload page's
//     `multipart/form-data` body.
// The first byte selects the decoder (its value modulo 5, below); the rest is the body. For multipart, the body's
// first line is the Content-Type header value and the rest the body. Built by Fuzz/RequestBody/build.sh (without
// NIO); see Docs/reliability.md.
import Foundation
import SealCrypto
@testable import SealConsoleFuzzModule
import SealRemoteSignerFuzzModule

/// The key kinds a service holds (the first byte divided by 5 picks one for a sign request; nil: no public key).
let keyAlgorithms: [KeyAlgorithm?] = [.sm2, .rsa(bits: 2048), .ecdsaP256, .ecdsaP384, .ecdsaP521, nil]

@_cdecl("LLVMFuzzerTestOneInput")
public func requestBodyFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let selector = input[0] % 5
    let body = Array(input.dropFirst())
    switch selector {
    case 0:
        // keys serve: decode, then the checks before signing (typed: a Refusal with a wire code, or the digest).
        guard let request = RemoteSignRequest.decode(Data(body)) else { return 0 }
        let key = keyAlgorithms[Int(input[0] / 5) % keyAlgorithms.count]
        do {
            let (digest, algorithm) = try request.checked(keyName: "fuzz", keyAlgorithm: key)
            precondition(digest.count == algorithm.digest.outputByteCount, "a checked digest has the algorithm's length")
            precondition(key.map(algorithm.fits) == true, "a checked scheme fits the key")
        } catch {
            precondition(["badRequest", "unsupportedScheme"].contains(error.code), "a refusal has a wire code")
            _ = error.message
        }
    case 1:
        // The client: GET /keys/NAME's answer.
        guard let description = try? JSONDecoder().decode(RemoteKeyDescription.self, from: Data(body)) else { return 0 }
        do {
            let (algorithm, publicKey, certificates) = try description.checkedKey(keyName: "fuzz")
            precondition(algorithm.fits(publicKey.algorithm), "a checked key fits its scheme")
            precondition(certificates.first.map { $0.publicKey == publicKey } ?? true, "the leaf holds the key")
        } catch {
            precondition(error.code == .badResponse, "a bad description is a badResponse")
        }
    case 2:
        // The client: POST …/sign's answer, or an error answer.
        if let response = try? JSONDecoder().decode(RemoteSignResponse.self, from: Data(body)) {
            do {
                let signature = try response.signatureBytes()
                precondition(!signature.isEmpty, "a signature has bytes")
            } catch {
                precondition(error.code == .badResponse, "a bad signature is a badResponse")
            }
        }
        _ = (try? JSONDecoder().decode(RemoteErrorResponse.self, from: Data(body)))?.error.message
    case 3:
        let fields = FormData.urlEncoded(body)
        for (name, value) in fields { _ = name.count + value.count }
    default:
        let newline = body.firstIndex(of: 10) ?? body.count
        let contentType = String(decoding: body[..<newline], as: UTF8.self)
        let rest = Array(body[min(newline + 1, body.count)...])
        do {
            let parts = try FormData.multipart(rest, contentType: contentType)
            for part in parts { precondition(part.content.count <= rest.count, "a part lies inside the body") }
        } catch {
            precondition(error.code == .invalidUpload, "a bad form is an invalidUpload")
        }
    }
    return 0
}
