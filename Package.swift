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
        // Already in the graph through async-http-client; named so SealRevocation may import NIOCore/NIOHTTP1.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
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
            dependencies: ["CSealSSL", "SealHTTP", .product(name: "SwiftASN1", package: "swift-asn1")],
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
                "SealHTTP", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings),
        // A tiny HTTP/1.1 server and client over POSIX sockets (local TSA, /metrics, TSA client, tests).
        .target(name: "SealHTTP", swiftSettings: swiftSettings),

        // MARK: - Pipelines, seal registry, usage log (joins the queue and the engines)
        .target(
            name: "SealPipeline",
            dependencies: [
                "SealReport", "Postgres", "SealQueue", "SealWorker", "SealCrypto", "ElectronicSeal", "SealPDF", "SealOFD",
                "SealRevocation", "SealObservability", .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // MARK: - Executable
        .executableTarget(
            name: "sealpress",
            dependencies: [
                "SealCrypto", "ElectronicSeal", "SealReport", "SealReportHTML", "SealPDF", "SealOFD",
                "Postgres", "SealQueue", "SealWorker", "SealPipeline", "SealObservability", "SealRevocation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // MARK: - Tests
        .target(
            name: "SealTestSupport",
            dependencies: ["Postgres", "SealCrypto", "SealHTTP"],
            path: "Sources/SealTestSupport",
            swiftSettings: swiftSettings),
        .testTarget(name: "SealHTTPTests", dependencies: ["SealHTTP"], swiftSettings: swiftSettings),
        .testTarget(name: "SealCompressionTests", dependencies: ["SealCompression"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealCryptoTests", dependencies: ["SealCrypto", "SealTestSupport"],
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
                "SealPDF", "SealOFD", "SealReport",
            ],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealObservabilityTests",
            dependencies: ["SealObservability", "SealTestSupport", .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: swiftSettings),
        // The built `sealpress` binary, run as a user runs it (swift build --build-tests builds it beside the tests).
        .testTarget(
            name: "SealPressCLITests",
            dependencies: ["SealTestSupport", "SealOFD", "Postgres"],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "PostgresTests", dependencies: ["Postgres", "SealTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SealWorkerTests",
            dependencies: ["SealWorker", "SealQueue", "Postgres", "SealTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SealQueueTests",
            dependencies: ["SealQueue", "SealWorker", "Postgres", "SealTestSupport"],
            swiftSettings: swiftSettings),
    ]
)
