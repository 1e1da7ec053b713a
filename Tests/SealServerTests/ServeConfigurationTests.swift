import SealServer
import Testing

@Suite struct ServeConfigurationTests {
    @Test func listenAddressesParseAndKnowLoopback() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8080") == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(try ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
        #expect(try ListenAddress(parsing: "127.0.0.1:8080").isLoopback)
        #expect(try ListenAddress(parsing: "127.8.9.10:1").isLoopback)
        #expect(try ListenAddress(parsing: "localhost:1").isLoopback)
        #expect(try ListenAddress(parsing: "[::1]:1").isLoopback)
        #expect(try !ListenAddress(parsing: "0.0.0.0:8080").isLoopback)
        #expect(try !ListenAddress(parsing: "[::]:8080").isLoopback)
        #expect(try !ListenAddress(parsing: "10.0.0.5:8080").isLoopback)
        #expect(try !ListenAddress(parsing: "127.example.com:8080").isLoopback)
        for bad in ["8080", "host:", "host:99999", "::1:80", "[::1]80"] {
            #expect(throws: ServeError(.invalidListenAddress, "")) { try ListenAddress(parsing: bad) }
        }
    }

    @Test func bindingBeyondLoopbackNeedsTLS() throws {
        let open = ServeConfiguration(listen: try ListenAddress(parsing: "0.0.0.0:8443"), databaseURL: "")
        let error = try #require(throws: ServeError.self) { try open.validate() }
        #expect(error.code == .tlsRequired)
        #expect(error.reason.contains("--tls-cert") && error.reason.contains("--tls-key"), "\(error.reason)")
        var half = open
        half.tlsCertificatePath = "/tls.crt"
        #expect(throws: ServeError(.tlsMaterialUnusable, "")) { try half.validate() }
        var tls = half
        tls.tlsKeyPath = "/tls.key"
        try tls.validate()
        try ServeConfiguration(listen: try ListenAddress(parsing: "127.0.0.1:0"), databaseURL: "").validate()
    }
}
