import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SealCrypto
import SealPipeline
import SealServer
import SealStatus
import Testing

/// The client (async-http-client) against a live server: verified answers, the per-esID cache, 404 passing on to
/// the next service, an unreachable service and an untrusted signer.
@Suite struct SealStatusClientTests {
    @Test func answersAreVerifiedCachedAndPassedOnWhenUnknown() async throws {
        let world = try StatusWorld()
        defer { world.remove() }
        let esID = "ES-CLIENT-\(UUID().uuidString.prefix(8))"
        try world.register("client", esID: esID)
        let app = try SealServerApplication.make(configuration: world.configuration(), logger: Logger(label: "test"))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let live = URL(string: "http://127.0.0.1:\(port)")!
            let dead = URL(string: "http://127.0.0.1:1")!
            let cached = SealStatusClient(
                configuration: .init(services: [dead, live], trust: world.pki.trustStore, cacheSeconds: 3600))
            guard case .status(let first, let service, let signedAt) = await cached.status(esID: esID) else {
                Issue.record("no status answer")
                return
            }
            #expect(first.state == .active && service == live && signedAt != nil)
            try world.setState(.suspended, of: "client")
            // Cached: the same answer until the cache time runs out …
            guard case .status(let again, _, _) = await cached.status(esID: esID) else {
                Issue.record("the cached answer was lost")
                return
            }
            #expect(again.state == .active)
            // … a client without a cache sees the suspension.
            let fresh = SealStatusClient(configuration: .init(services: [live], trust: world.pki.trustStore, cacheSeconds: 0))
            guard case .status(let now, _, _) = await fresh.status(esID: esID) else {
                Issue.record("no fresh answer")
                return
            }
            #expect(now.state == .suspended)
            guard case .unavailable(let unknown) = await fresh.status(esID: "ES-NOBODY-\(UUID().uuidString)") else {
                Issue.record("an unknown seal was answered")
                return
            }
            #expect(unknown.code == .unknownSeal)
            // A signer that does not chain to the given roots is not believed.
            let otherPKI = try DemoPKI.make()
            let untrusted = SealStatusClient(configuration: .init(services: [live], trust: otherPKI.trustStore, cacheSeconds: 0))
            guard case .unavailable(let refused) = await untrusted.status(esID: esID) else {
                Issue.record("an untrusted status signer was accepted")
                return
            }
            #expect(refused.code == .untrustedSigner)
        }
    }

    @Test func anUnreachableServiceIsUnavailableWithTheReason() async throws {
        let client = SealStatusClient(
            configuration: .init(services: [URL(string: "http://127.0.0.1:1")!], trust: nil, timeoutSeconds: 5))
        guard case .unavailable(let error) = await client.status(esID: "ES-1") else {
            Issue.record("an unreachable service answered")
            return
        }
        #expect(error.code == .unreachable)
        #expect(error.reason.contains("unreachable"), "\(error.reason)")
    }
}
