import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SealServer
import Testing

/// Beyond loopback the server runs only with TLS: it then serves HTTPS (health without login).
@Suite struct ServeTLSTests {
    @Test func beyondLoopbackItServesHTTPS() async throws {
        let world = try StatusWorld(prefix: "tls")
        defer { world.remove() }
        var configuration = world.configuration()
        configuration.listen = try ListenAddress(parsing: "0.0.0.0:0")
        configuration.tlsCertificatePath = world.path("rsa-signer.cert.pem")
        configuration.tlsKeyPath = world.path("rsa-signer.key.pem")
        let app = try SealServerApplication.make(configuration: configuration, logger: Logger(label: "test"))
        try await app.test(.ahc(.https)) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(String(buffer: health.body).contains("ok"))
        }
        // The same address without the TLS material is refused before anything is bound.
        configuration.tlsKeyPath = nil
        configuration.tlsCertificatePath = nil
        #expect(throws: ServeError(.tlsRequired, "")) {
            try SealServerApplication.make(configuration: configuration, logger: Logger(label: "test"))
        }
    }
}
