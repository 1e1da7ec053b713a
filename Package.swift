// swift-tools-version: 6.1
import PackageDescription

/// Settings every Swift target shares (Swift 6 language mode is the package default).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "SealPress",
    platforms: [.macOS(.v15)],  // Synchronization.Mutex
    products: [
        .executable(name: "sealpress", targets: ["sealpress"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Network roles (serve, keys serve, TSA/status clients) run on kept libraries, not on hand-written HTTP.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.34.0"),
        // Already in the graph (under hummingbird / async-http-client); named directly for NIOCore/NIOPosix and
        // HTTPTypes, which the remote signing service and client use by name.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
    ],
    targets: [
        // MARK: - C system libraries (imported only by the module directly above them)
        .systemLibrary(
            name: "CSealSSL", path: "Sources/CSealSSL", pkgConfig: "libssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .systemLibrary(
            name: "CSealPQ", path: "Sources/CSealPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
        .systemLibrary(
            name: "CSealZlib", path: "Sources/CSealZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        // MARK: - Documents and cryptography (no database)
        // The one owner of zlib streams (inflate/deflate with output limits, CRC-32) for SealPDF and SealOFD.
        .target(name: "SealCompression", dependencies: ["CSealZlib"], swiftSettings: swiftSettings),
        .target(
            name: "SealCrypto",
            dependencies: ["CSealSSL", .product(name: "SwiftASN1", package: "swift-asn1")],
            swiftSettings: swiftSettings),
        .target(
            name: "ElectronicSeal",
            dependencies: ["SealCrypto", "SealReport", .product(name: "SwiftASN1", package: "swift-asn1")],
            swiftSettings: swiftSettings),
        .target(name: "SealReport", swiftSettings: swiftSettings),
        // Revocation fetching over HTTP (CRL GET, OCSP POST) for SealCrypto's RevocationChecker.
        .target(
            name: "SealRevocation",
            dependencies: [
                "SealCrypto", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
        // The readable verification report: one self-contained HTML page from the JSON report plus the seal
        // pictures and boxes read from the document.
        .target(
            name: "SealReportHTML",
            dependencies: ["SealReport", "SealPDF", "SealOFD", "ElectronicSeal", "SealCrypto"],
            swiftSettings: swiftSettings),
        .target(
            name: "SealPDF",
            dependencies: ["SealCrypto", "ElectronicSeal", "SealReport", "SealCompression"],
            swiftSettings: swiftSettings),
        .target(
            name: "SealOFD",
            dependencies: ["SealCrypto", "ElectronicSeal", "SealReport", "SealCompression"],
            swiftSettings: swiftSettings),

        // PKCS#11 tokens (HSMs, USB keys) loaded with dlopen: our own minimal declarations of the ABI, no link.
        .target(name: "CSealPKCS11", path: "Sources/CSealPKCS11"),
        .target(name: "SealPKCS11", dependencies: ["CSealPKCS11", "SealCrypto"], swiftSettings: swiftSettings),

        // MARK: - Database, queue, worker
        .target(
            name: "Postgres",
            dependencies: ["CSealPQ", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .target(
            name: "SealQueue",
            dependencies: ["Postgres", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .target(
            name: "SealWorker",
            dependencies: ["SealQueue", "Postgres", "SealObservability", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),

        // MARK: - Logs and metrics
        .target(
            name: "SealObservability",
            dependencies: [
                "SealSideServer", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings),
        // A process's small side HTTP services on Hummingbird 2: the worker's /metrics + /healthz server and the local
        // TSA's wiring (its request handling stays in SealCrypto as a pure function).
        .target(
            name: "SealSideServer",
            dependencies: [
                "SealCrypto", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // The RFC 3161 TSA client's transport on async-http-client (injected into SealCrypto's TimeStampClient).
        .target(
            name: "SealNetClient",
            dependencies: [
                "SealCrypto", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),

        // MARK: - Pipelines, seal registry, usage log (joins the queue and the engines)
        .target(
            name: "SealPipeline",
            dependencies: [
                "SealReport", "Postgres", "SealQueue", "SealWorker", "SealCrypto", "ElectronicSeal", "SealPDF", "SealOFD",
                "SealRevocation", "SealObservability", "SealPKCS11", "SealRemoteSigner", "SealNetClient", .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // MARK: - Remote signing (client under the pipeline, service above it)
        // The `sealpress+https` client (RemoteSigner on async-http-client) and the protocol's JSON messages.
        .target(
            name: "SealRemoteSigner",
            dependencies: [
                "SealCrypto", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings),
        // `sealpress keys serve`: the signing service on Hummingbird 2 + mutual TLS (keys resolved by SealPipeline).
        .target(
            name: "SealKeyService",
            dependencies: [
                "SealCrypto", "SealPipeline", "SealRemoteSigner",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // MARK: - Status service and server (Hummingbird 2)
        // Seal status documents (signed JSON), their client for verification, usage-log checkpoints.
        .target(
            name: "SealStatus",
            dependencies: [
                "SealPipeline", "SealCrypto", "SealReport", "Postgres",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // `sealpress serve`: one Hummingbird server (health, status service, checkpoints; the console mounts here).
        .target(
            name: "SealServer",
            dependencies: [
                "SealStatus", "SealPipeline", "SealConsole", "SealCrypto", "Postgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // MARK: - Operator console (server-rendered pages mounted by `sealpress serve`)
        .target(
            name: "SealConsole",
            dependencies: [
                "SealQueue", "SealPipeline", "SealReportHTML", "SealReport", "SealCrypto", "Postgres",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),

        // MARK: - Executable
        .executableTarget(
            name: "sealpress",
            dependencies: [
                "SealCrypto", "ElectronicSeal", "SealReport", "SealReportHTML", "SealPDF", "SealOFD",
                "Postgres", "SealQueue", "SealWorker", "SealPipeline", "SealObservability", "SealRevocation", "SealPKCS11", "SealRemoteSigner", "SealKeyService",
                "SealStatus", "SealServer", "SealConsole", "SealSideServer", "SealNetClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // MARK: - Tests
        .target(
            name: "SealTestSupport",
            dependencies: [
                "Postgres", "SealCrypto", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/SealTestSupport",
            swiftSettings: swiftSettings),
        .testTarget(name: "SealCompressionTests", dependencies: ["SealCompression"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealCryptoTests",
            dependencies: [
                "SealCrypto", "SealTestSupport",
                // Only the tests of the TSA over HTTP: the Hummingbird wiring and the async-http-client transport.
                "SealSideServer", "SealNetClient", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "ElectronicSealTests", dependencies: ["ElectronicSeal", "SealCrypto", "SealTestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealReportTests", dependencies: ["SealReport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealReportHTMLTests",
            dependencies: ["SealReportHTML", "SealReport", "SealTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SealPDFTests",
            dependencies: ["SealPDF", "SealCrypto", "ElectronicSeal", "SealTestSupport", "SealRevocation"],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealOFDTests", dependencies: ["SealOFD", "SealCrypto", "ElectronicSeal", "SealTestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealPipelineTests",
            dependencies: [
                "SealPipeline", "Postgres", "SealTestSupport", "SealQueue", "SealWorker", "SealCrypto", "ElectronicSeal",
                "SealPDF", "SealOFD", "SealReport", "SealPKCS11", "SealNetClient",
            ],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealObservabilityTests",
            dependencies: ["SealObservability", "SealTestSupport", .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: swiftSettings),
        // The built `sealpress` binary, run as a user runs it (swift build --build-tests builds it beside the tests).
        .testTarget(
            name: "SealPressCLITests",
            dependencies: ["SealTestSupport", "SealOFD", "SealPipeline", "Postgres"],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        // The remote signing service run as a separate `sealpress keys serve` process with openssl-made TLS material.
        .testTarget(
            name: "SealRemoteSignerTests",
            dependencies: ["SealRemoteSigner", "SealCrypto", "SealTestSupport", "Postgres"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SealPKCS11Tests", dependencies: ["SealPKCS11", "SealCrypto", "SealTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SealServerTests",
            dependencies: [
                "SealServer", "SealStatus", "SealPipeline", "SealQueue", "SealCrypto", "SealReport", "Postgres", "SealTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PostgresTests", dependencies: ["Postgres", "SealTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealWorkerTests",
            dependencies: ["SealWorker", "SealQueue", "Postgres", "SealTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SealConsoleTests",
            dependencies: [
                "SealConsole", "SealTestSupport", "SealQueue", "SealPipeline", "SealWorker", "Postgres", "SealCrypto",
                "ElectronicSeal", "SealPDF", "SealReport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealQueueTests",
            dependencies: ["SealQueue", "SealWorker", "Postgres", "SealTestSupport"],
            swiftSettings: swiftSettings),
    ]
)
