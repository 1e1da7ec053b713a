import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SealCrypto

/// `sealpress bench crypto`: SM2/RSA/ECDSA signatures and SM3/SHA-256 hashing through SealCrypto, beside
/// `openssl speed` run in the same command on the same machine.
struct BenchCryptoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto",
        abstract: "Bench SM2/RSA/ECDSA signing and SM3/SHA-256 hashing beside openssl speed.",
        discussion: "One thread each. Ratios are ours / OpenSSL; the goal is ≥ 0.90."
    )

    @Option(name: .long, help: "Seconds per measurement (ours and openssl's).")
    var seconds: Int = 3

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    @Flag(name: .customLong("no-openssl"), help: "Skip openssl speed (ours only).")
    var noOpenSSL = false

    struct Row: Encodable {
        var name: String
        var unit: String
        var ours: Double
        var openssl: Double?
        var ratio: Double? { openssl.map { $0 > 0 ? ours / $0 : 0 } }

        enum CodingKeys: String, CodingKey { case name, unit, ours, openssl, ratio }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(unit, forKey: .unit)
            try container.encode((ours * 10).rounded() / 10, forKey: .ours)
            try container.encodeIfPresent(openssl.map { ($0 * 10).rounded() / 10 }, forKey: .openssl)
            try container.encodeIfPresent(ratio.map { ($0 * 1000).rounded() / 1000 }, forKey: .ratio)
        }
    }

    func validate() throws {
        guard (1...60).contains(seconds) else { throw ValidationError("--seconds must be 1…60") }
    }

    func run() throws {
        do { try CryptoSelfTest.run() } catch { throw CouldNotRun("SM2/SM3 self-test failed: \(error)") }
        let duration = Double(seconds)
        var rows: [Row] = []
        let message = (0..<32).map { UInt8($0) }
        for (name, generation) in [("SM2", KeyGenerationAlgorithm.sm2), ("RSA-2048", .rsa(bits: 2048)), ("ECDSA P-256", .ecdsaP256)] {
            let key = try PrivateKey.generate(generation)
            let signer = try SoftwareSigner(key: key)
            let signature = try signer.sign(message)
            let signs = try Self.rate(duration) { _ = try signer.sign(message) }
            let publicKey = key.publicKey
            let verifies = try Self.rate(duration) {
                guard publicKey.verify(signature: signature, for: message, algorithm: signer.algorithm) else {
                    throw CouldNotRun("verification failed during the bench")
                }
            }
            rows.append(Row(name: "\(name) sign", unit: "ops/s", ours: signs))
            rows.append(Row(name: "\(name) verify", unit: "ops/s", ours: verifies))
        }
        let block = [UInt8](repeating: 0xA5, count: 16_384)
        for algorithm in [DigestAlgorithm.sm3, .sha256] {
            let perSecond = try Self.rate(duration) { _ = Digest.hash(algorithm, block) }
            rows.append(Row(name: "\(algorithm) 16 KiB", unit: "MB/s", ours: perSecond * Double(block.count) / 1e6))
        }
        if !noOpenSSL {
            let peer = try Self.opensslSpeed(seconds: seconds)
            for index in rows.indices { rows[index].openssl = peer[rows[index].name] }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(rows)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("per core, user CPU time (as openssl speed)")
            print("name                 unit      sealpress      openssl   ratio")
            for row in rows {
                let peer = row.openssl.map { String(format: "%12.1f", $0) } ?? "           -"
                let ratio = row.ratio.map { String(format: "%7.3f", $0) } ?? "      -"
                let label = row.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                let unit = row.unit.padding(toLength: 6, withPad: " ", startingAt: 0)
                print("\(label) \(unit) " + String(format: "%12.1f ", row.ours) + peer + " " + ratio)
            }
        }
    }

    /// Operations per CPU-second of `body`, run for about `seconds` of wall time.
    ///
    /// Divides by this thread's user CPU time, as `openssl speed` divides by user time by default, so both
    /// numbers hold on a machine shared with other work.
    static func rate(_ seconds: Double, _ body: () throws -> Void) throws -> Double {
        for _ in 0..<3 { try body() }  // warm up
        let wallStart = DispatchTime.now().uptimeNanoseconds
        let wallEnd = wallStart + UInt64(seconds * 1e9)
        let cpuStart = userCPUSeconds()
        var count = 0
        while DispatchTime.now().uptimeNanoseconds < wallEnd {
            for _ in 0..<16 { try body() }
            count += 16
        }
        return Double(count) / max(userCPUSeconds() - cpuStart, 1e-6)
    }

    /// CPU time of the calling thread (crypto runs in user space, so this is user time in practice).
    static func userCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Runs `openssl speed -mr` and maps its results onto our row names.
    static func opensslSpeed(seconds: Int) throws -> [String: Double] {
        var result: [String: Double] = [:]
        let signatures = try runOpenSSL(["speed", "-mr", "-seconds", String(seconds), "sm2", "rsa2048", "ecdsap256"])
        for line in signatures.split(separator: "\n") where line.hasPrefix("+F") {
            let fields = line.split(separator: ":").map(String.init)
            switch fields.first {
            case "+F2" where fields.count >= 5 && fields[2] == "2048":
                result["RSA-2048 sign"] = Double(fields[3]); result["RSA-2048 verify"] = Double(fields[4])
            case "+F4" where fields.count >= 5 && fields[2] == "256":
                result["ECDSA P-256 sign"] = Double(fields[3]); result["ECDSA P-256 verify"] = Double(fields[4])
            case "+F7" where fields.count >= 6:
                result["SM2 sign"] = Double(fields[4]); result["SM2 verify"] = Double(fields[5])
            default: break
            }
        }
        for (algorithm, name) in [("sm3", "SM3 16 KiB"), ("sha256", "SHA-256 16 KiB")] {
            let output = try runOpenSSL(["speed", "-mr", "-seconds", String(seconds), "-bytes", "16384", "-evp", algorithm])
            for line in output.split(separator: "\n") where line.hasPrefix("+F:") {
                if let bytesPerSecond = line.split(separator: ":").last.flatMap({ Double($0) }) {
                    result[name] = bytesPerSecond / 1e6
                }
            }
        }
        return result
    }

    private static func runOpenSSL(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw CouldNotRun("cannot run openssl: \(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CouldNotRun("openssl speed failed (\(arguments.joined(separator: " ")))") }
        return String(decoding: data, as: UTF8.self)
    }
}
