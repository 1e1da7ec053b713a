// swift-tools-version: 6.1
// libFuzzer target for the OFD engine: package layer, XML, model and the whole verifier on arbitrary bytes.
// Build and run: see Docs/ofd.md ("Fuzzing").
import PackageDescription

let package = Package(
    name: "FuzzOFD",
    dependencies: [.package(name: "SealPress", path: "../..")],
    targets: [
        .executableTarget(
            name: "FuzzOFD",
            dependencies: [.product(name: "SealOFD", package: "SealPress")],
            swiftSettings: [.unsafeFlags(["-sanitize=fuzzer,address", "-parse-as-library"])],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])])
    ]
)
