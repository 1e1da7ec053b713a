import Foundation
import NIOPosix
import SealCrypto
import SealRemoteSigner

/// What the service answers, decided without any network: grant check, key lookup, request checks, signing.
/// Every answer is logged once (``SigningLog``).
struct SigningDesk: Sendable {
    struct Answer: Sendable {
        var status: Int
        var body: Data
    }

    let configuration: KeyServiceConfiguration
    let keys: KeyRing
    let log: SigningLog

    /// `GET /keys/NAME`.
    func describe(key name: String, client: ClientIdentity) -> Answer {
        if let refusal = refusal(key: name, client: client, operation: "describe", request: nil) { return refusal }
        let entry = keys.entries[name]!
        return answer(200, entry.description, key: name, client: client, operation: "describe", request: nil, outcome: "described")
    }

    /// `POST /keys/NAME/sign` with the request body.
    func sign(key name: String, client: ClientIdentity, body: Data) async -> Answer {
        guard let request = RemoteSignRequest.decode(body) else {
            return error(400, "badRequest", "the body must be JSON {\"digest\", \"algorithm\", \"scheme\"}", key: name, client: client, operation: "sign", request: nil)
        }
        if let refusal = refusal(key: name, client: client, operation: "sign", request: request) { return refusal }
        let entry = keys.entries[name]!
        let checked: (digest: [UInt8], algorithm: SignatureAlgorithm)
        switch Result(catching: { () throws(RemoteSignRequest.Refusal) in
            try request.checked(keyName: name, keyAlgorithm: (entry.signer.publicKey ?? entry.signer.certificate?.publicKey)?.algorithm)
        }) {
        case .success(let value): checked = value
        case .failure(let refusal):
            return error(400, refusal.code, refusal.message, key: name, client: client, operation: "sign", request: request)
        }
        let algorithm = checked.algorithm
        let signer = entry.signer
        let bytes = checked.digest
        do {
            // Off the cooperative pool: a token's C_Sign blocks.
            let signature = try await NIOThreadPool.singleton.runIfActive { try signer.signDigest(bytes, algorithm: algorithm) }
            return answer(
                200, RemoteSignResponse(signature: Data(signature).base64EncodedString()), key: name, client: client,
                operation: "sign", request: request, outcome: "signed")
        } catch {
            return self.error(500, "signingFailed", "the key could not sign; see the service's log", key: name, client: client, operation: "sign", request: request)
        }
    }

    /// An answer for a path the protocol does not have.
    func notFound(client: ClientIdentity, path: String) -> Answer {
        error(404, "notFound", "no such endpoint", key: "", client: client, operation: path, request: nil)
    }

    private func refusal(key name: String, client: ClientIdentity, operation: String, request: RemoteSignRequest?) -> Answer? {
        guard configuration.allows(client, key: name) else {
            return error(403, "forbidden", "this client certificate is not granted key \(name)", key: name, client: client, operation: operation, request: request)
        }
        guard keys.entries[name] != nil else {
            return error(404, "unknownKey", "the service holds no key \(name)", key: name, client: client, operation: operation, request: request)
        }
        return nil
    }

    private func error(
        _ status: Int, _ code: String, _ message: String, key: String, client: ClientIdentity, operation: String,
        request: RemoteSignRequest?
    ) -> Answer {
        answer(status, RemoteErrorResponse(code: code, message: message), key: key, client: client, operation: operation, request: request, outcome: code)
    }

    private func answer(
        _ status: Int, _ body: some Encodable, key: String, client: ClientIdentity, operation: String,
        request: RemoteSignRequest?, outcome: String
    ) -> Answer {
        let digestHex = request.flatMap { Data(base64Encoded: $0.digest) }.map { Hex.string($0) }
        log.record(
            SigningLog.Entry(
                time: SigningLog.now(), client: client.description, key: key, operation: operation, digest: digestHex,
                algorithm: request?.algorithm, scheme: request?.scheme, outcome: outcome, status: status))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Answer(status: status, body: (try? encoder.encode(body)) ?? Data("{}".utf8))
    }
}
