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
        discussion: """
            One thread each. In every round each operation is measured through SealCrypto and then with openssl speed, \
            back to back; the ratio (ours / OpenSSL) is the median of the rounds' ratios, so a noisy neighbour that \
            slows one side of one round does not decide it. Use --rounds 5 or more on shared machines. Goal: ≥ 0.90.
            """
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
        /// ours / openssl of each round, both measured back to back (so both saw the same machine).
        var roundRatios: [Double] = []
        /// The median of the per-round ratios: robust against a noisy neighbour slowing one side of one round.
        var ratio: Double? {
            guard !roundRatios.isEmpty else { return nil }
            let sorted = roundRatios.sorted()
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }

        enum CodingKeys: String, CodingKey { case name, unit, ours, openssl, ratio, roundRatios }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(unit, forKey: .unit)
            try container.encode((ours * 10).rounded() / 10, forKey: .ours)
            try container.encodeIfPresent(openssl.map { ($0 * 10).rounded() / 10 }, forKey: .openssl)
            try container.encodeIfPresent(ratio.map { ($0 * 1000).rounded() / 1000 }, forKey: .ratio)
            if !roundRatios.isEmpty {
                try container.encode(roundRatios.map { ($0 * 1000).rounded() / 1000 }, forKey: .roundRatios)
            }
        }
    }

    func validate() throws {
        guard (1...60).contains(seconds) else { throw ValidationError("--seconds must be 1…60") }
        guard (1...10).contains(rounds) else { throw ValidationError("--rounds must be 1…10") }
    }

    @Option(name: .long, help: "Alternate ours/openssl this many times and keep the best of each (noise on shared machines).")
    var rounds: Int = 3

    func run() throws {
        do { try CryptoSelfTest.run() } catch { throw CouldNotRun("SM2/SM3 self-test failed: \(error)") }
        let duration = Double(seconds)
        var best: [String: Row] = [:]
        var order: [String] = []
        var thisRound: [String: (ours: Double, openssl: Double)] = [:]
        func record(_ row: Row) {
            if best[row.name] == nil { order.append(row.name) }
            var merged = best[row.name] ?? row
            merged.ours = max(merged.ours, row.ours)
            if let peer = row.openssl { merged.openssl = max(merged.openssl ?? 0, peer) }
            best[row.name] = merged
            var pair = thisRound[row.name] ?? (0, 0)
            pair.ours = max(pair.ours, row.ours)
            pair.openssl = max(pair.openssl, row.openssl ?? 0)
            thisRound[row.name] = pair
        }
        func closeRound() {
            for (name, pair) in thisRound where pair.ours > 0 && pair.openssl > 0 {
                best[name]?.roundRatios.append(pair.ours / pair.openssl)
            }
            thisRound = [:]
        }
        let message = (0..<32).map { UInt8($0) }
        let signatureCases: [(String, KeyGenerationAlgorithm, String)] = [
            ("SM2", .sm2, "sm2"), ("RSA-2048", .rsa(bits: 2048), "rsa2048"), ("ECDSA P-256", .ecdsaP256, "ecdsap256"),
        ]
        let keys = try signatureCases.map { try PrivateKey.generate($0.1) }
        let pki = try DemoPKI.make()
        let cmsSigner = try pki.sm2Signer.signer()
        let block = [UInt8](repeating: 0xA5, count: 16_384)
        for _ in 0..<max(1, rounds) {
            for (index, (name, _, opensslName)) in signatureCases.enumerated() {
                let signer = try SoftwareSigner(key: keys[index])
                let signature = try signer.sign(message)
                let publicKey = keys[index].publicKey
                record(Row(name: "\(name) sign", unit: "ops/s", ours: try Self.rate(duration) { _ = try signer.sign(message) }))
                record(Row(name: "\(name) verify", unit: "ops/s", ours: try Self.rate(duration) {
                    guard publicKey.verify(signature: signature, for: message, algorithm: signer.algorithm) else {
                        throw CouldNotRun("verification failed during the bench")
                    }
                }))
                if !noOpenSSL {
                    for (rowName, value) in try Self.opensslSpeed(["speed", "-mr", "-seconds", String(seconds), opensslName]) {
                        record(Row(name: rowName, unit: "ops/s", ours: 0, openssl: value))
                    }
                }
            }
            // Whole CMS SignedData (signed attributes, ESS, certificate) around one SM2 signature: our DER overhead.
            let contentDigest = Digest.hash(.sm3, message)
            record(Row(name: "SM2 CMS signDetached", unit: "ops/s", ours: try Self.rate(duration) {
                _ = try CMSSignedData.signDetached(contentDigest: contentDigest, digestAlgorithm: .sm3, signer: cmsSigner)
            }))
            for (algorithm, opensslName) in [(DigestAlgorithm.sm3, "sm3"), (.sha256, "sha256")] {
                let perSecond = try Self.rate(duration) { _ = Digest.hash(algorithm, block) }
                record(Row(name: "\(algorithm) 16 KiB", unit: "MB/s", ours: perSecond * Double(block.count) / 1e6))
                if !noOpenSSL {
                    let peer = try Self.opensslSpeed(["speed", "-mr", "-seconds", String(seconds), "-bytes", "16384", "-evp", opensslName])
                    for (rowName, value) in peer { record(Row(name: rowName, unit: "MB/s", ours: 0, openssl: value)) }
                }
            }
            closeRound()
        }
        let rows = order.compactMap { best[$0] }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(rows)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("per core, CPU time (as openssl speed); rates: best of \(rounds) alternating rounds; "
                  + "ratio: median of the per-round ratios (each round measures both sides back to back)")
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

    /// User CPU time of the calling thread (`RUSAGE_THREAD`), the same measure `openssl speed` divides by.
    static func userCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(1), &usage)  // 1 = RUSAGE_THREAD (Linux)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    }

    /// Runs one `openssl speed -mr …` and maps its results onto our row names.
    static func opensslSpeed(_ arguments: [String]) throws -> [String: Double] {
        var result: [String: Double] = [:]
        for line in try runOpenSSL(arguments).split(separator: "\n") where line.hasPrefix("+F") {
            let fields = line.split(separator: ":").map(String.init)
            switch fields.first {
            case "+F2" where fields.count >= 5 && fields[2] == "2048":
                result["RSA-2048 sign"] = Double(fields[3]); result["RSA-2048 verify"] = Double(fields[4])
            case "+F4" where fields.count >= 5 && fields[2] == "256":
                result["ECDSA P-256 sign"] = Double(fields[3]); result["ECDSA P-256 verify"] = Double(fields[4])
            case "+F7" where fields.count >= 6:
                result["SM2 sign"] = Double(fields[4]); result["SM2 verify"] = Double(fields[5])
            case "+F" where fields.count >= 4:
                let name = fields[2].lowercased() == "sm3" ? "SM3 16 KiB" : "SHA-256 16 KiB"
                result[name] = Double(fields[3]).map { $0 / 1e6 }
            default: break
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
