import Foundation
import SealCrypto
import SealRemoteSigner
import Testing

/// The protocol's body checks as pure functions (what `keys serve` checks before signing, what the client checks in
/// the service's answers) — the functions the request-body fuzz target (Fuzz/RequestBody) feeds.
@Suite struct RemoteSigningChecksTests {
    private func body(_ digest: String, _ algorithm: String, _ scheme: String) -> Data {
        Data(#"{"digest": "\#(digest)", "algorithm": "\#(algorithm)", "scheme": "\#(scheme)"}"#.utf8)
    }

    private func refusal(_ request: RemoteSignRequest, key: KeyAlgorithm?) -> RemoteSignRequest.Refusal? {
        do {
            _ = try request.checked(keyName: "k", keyAlgorithm: key)
            return nil
        } catch {
            return error
        }
    }

    @Test func aSignRequestIsCheckedAsTheServiceAnswers() throws {
        let sm3 = Data(repeating: 7, count: 32).base64EncodedString()
        let good = try #require(RemoteSignRequest.decode(body(sm3, "sm3", "sm2")))
        let (digest, algorithm) = try good.checked(keyName: "k", keyAlgorithm: .sm2)
        #expect(digest == [UInt8](repeating: 7, count: 32))
        #expect(algorithm == .sm2WithSM3)
        // The scheme must fit the key, and a key without public key signs nothing.
        #expect(refusal(good, key: .rsa(bits: 2048))?.code == "unsupportedScheme")
        #expect(refusal(good, key: nil)?.code == "unsupportedScheme")
        // Digest: base64, of the algorithm's length.
        let short = try #require(RemoteSignRequest.decode(body(Data(count: 31).base64EncodedString(), "sha256", "ecdsa")))
        #expect(refusal(short, key: .ecdsaP256)?.code == "badRequest")
        #expect(refusal(short, key: .ecdsaP256)?.message == "a sha256 digest has 32 bytes, not 31")
        let notBase64 = try #require(RemoteSignRequest.decode(body("3q2+7w!!", "sm3", "sm2")))
        #expect(refusal(notBase64, key: .sm2)?.code == "badRequest")
        #expect(RemoteSignRequest.decode(Data(#"{"digest": 1}"#.utf8)) == nil)
    }

    @Test func anAnswerThatDoesNotParseIsABadResponse() {
        let description = RemoteKeyDescription(
            name: "k", keyType: "sm2", algorithm: "sm3", scheme: "sm2", publicKey: "not base64!", certificates: [],
            certificatesPEM: "")
        #expect(throws: RemoteSignerError(.badResponse, "")) { try description.checkedKey(keyName: "k") }
        var unknown = description
        unknown.scheme = "rsa-pss"
        unknown.algorithm = "sm3"
        #expect(throws: RemoteSignerError(.badResponse, "")) { try unknown.checkedKey(keyName: "k") }
        #expect(throws: RemoteSignerError(.badResponse, "")) { try RemoteSignResponse(signature: "").signatureBytes() }
        #expect((try? RemoteSignResponse(signature: "AQI=").signatureBytes()) == [1, 2])
    }
}
