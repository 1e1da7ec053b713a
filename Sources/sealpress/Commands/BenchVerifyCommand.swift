import ArgumentParser
import Dispatch
import ElectronicSeal
import Foundation
import SealCrypto
import SealOFD
import SealPDF
import SealReport
import Synchronization

/// `sealpress bench verify --file F`: full verifications per second (PDF or OFD) on one thread and on all
/// cores, beside pyHanko's validator (PDF) and the crypto limit of the signatures the file carries.
struct BenchVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Bench verifying a signed PDF (beside pyHanko) or OFD (beside its SM2 limit).",
        discussion: """
            Every verification is the full one `sealpress verify` makes (digests, signature values, chains against \
            the trust store, seal checks, difference analysis of later revisions), on the same in-memory bytes, \
            no result of an earlier verification reused (parsed certificates and the issuer signatures over them, \
            and the maker's signature over a seal, are remembered per process, as for any document from the same \
            signers and seals). A file without signatures (and any file with --stamp) is first \
            stamped with a demo key: PDF RSA-2048 PAdES B-B with a visible seal, OFD an SM2 seal of a fresh demo \
            PKI; the demo roots are trusted. Without --file: ../shared/corpus/bench/doc100k.pdf. \
            The crypto limit is 1 / (the raw signature verifications the file needs + one digest of its bytes), \
            measured beside it on one thread; rates per core are per CPU-second of the measuring thread.
            """
    )

    @Option(help: "The document to verify (PDF or OFD; default ../shared/corpus/bench/doc100k.pdf).")
    var file: String?

    @Option(help: "Seconds to measure each side.")
    var seconds: Double = 5

    @Option(help: "Trust anchors (PEM or DER file), repeatable, for a file signed elsewhere.")
    var trust: [String] = []

    @Flag(help: "Add a demo signature even when the file is already signed.")
    var stamp = false

    @Option(help: "Threads for the all-cores run (default: the number of cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "pyHanko harness for PDF (default Benchmarks/pyhanko/bench_pyhanko_verify.py).")
    var peer: String = "Benchmarks/pyhanko/bench_pyhanko_verify.py"

    @Flag(name: .customLong("no-pyhanko"), help: "Do not run pyHanko beside it.")
    var noPyHanko = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be more than 0 and at most 600") }
        guard threads >= 1, threads <= 256 else { throw ValidationError("--threads must be 1…256") }
    }

    func run() throws {
        let path = file ?? Self.defaultFile()
        guard file != nil || FileManager.default.fileExists(atPath: path) else {
            throw CouldNotRun("no --file given and \(path) is not there: pass --file with a PDF or OFD document")
        }
        let original = try PDFStampBench.readFile(path)
        var roots: [Certificate] = []
        for trustPath in trust { roots += try OFDCommandFiles.certificates(trustPath) }
        let prepared: VerifyBenchInput
        switch DocumentFormat.detect(original) {
        case .pdf: prepared = try VerifyBenchInput.pdf(path: path, bytes: original, roots: roots, forceStamp: stamp)
        case .ofd: prepared = try VerifyBenchInput.ofd(path: path, bytes: original, roots: roots, forceStamp: stamp)
        case nil: throw CouldNotRun("\(path) is neither a PDF nor an OFD document")
        }
        var result = try VerifyBench.measure(prepared, seconds: seconds, threads: threads)
        if prepared.format == "pdf", !noPyHanko, FileManager.default.fileExists(atPath: peer) {
            if let peerRate = try VerifyBench.runPeer(peer, input: prepared, seconds: seconds) {
                result.pyhankoVerificationsPerSecond = peerRate.wall
                result.pyhankoVerificationsPerCPUSecond = peerRate.cpu
                result.pyhankoValid = peerRate.valid
                if peerRate.cpu > 0 { result.ratioToPyHanko = result.verificationsPerCPUSecond / peerRate.cpu }
            } else {
                result.notes.append("the pyHanko harness did not run (python3 with pyHanko installed?)")
            }
        }
        result.loadAverage = VerifyBench.loadAverage()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(result.text)
        }
    }

    static func defaultFile() -> String {
        for candidate in ["../shared/corpus/bench/doc100k.pdf", "Benchmarks/doc100k.pdf"]
        where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        return "../shared/corpus/bench/doc100k.pdf"
    }
}

/// The bytes to verify, with the trust store and what the pyHanko harness needs.
struct VerifyBenchInput {
    var path: String
    var format: String
    var bytes: [UInt8]
    var trust: TrustStore
    var roots: [Certificate]
    var stamped: Bool
    var visibleSeal: Bool?

    static func pdf(path: String, bytes: [UInt8], roots: [Certificate], forceStamp: Bool) throws -> VerifyBenchInput {
        let existing = PDFVerifier.verify(bytes, options: PDFVerifyOptions(trust: TrustStore(roots: roots)))
        guard forceStamp || existing.signatures.isEmpty else {
            return VerifyBenchInput(
                path: path, format: "pdf", bytes: bytes, trust: TrustStore(roots: roots), roots: roots, stamped: false)
        }
        let (signer, _, certificate) = try PDFStampBench.identity("rsa2048")
        let picture = try? PDFStampBench.sealPicture(nil)
        let image = try picture.map { try SealImage(imageBytes: $0) }
        let stamper = try PDFStamper(
            PDFStampRequest(
                signer: signer, format: .padesBB,
                placement: image == nil ? nil : PDFPlacement(page: .last, xMM: 10, yMM: 10, widthMM: 40), image: image,
                fieldName: "BenchSeal\(existing.signatures.count + 1)", signingTime: Date()))
        let all = roots + [certificate]
        return VerifyBenchInput(
            path: path, format: "pdf", bytes: try stamper.stamp(bytes), trust: TrustStore(roots: all), roots: all,
            stamped: true, visibleSeal: image != nil)
    }

    static func ofd(path: String, bytes: [UInt8], roots: [Certificate], forceStamp: Bool) throws -> VerifyBenchInput {
        let existing = OFDVerifier.verify(bytes, trust: TrustStore(roots: roots))
        guard forceStamp || existing.signatures.isEmpty else {
            return VerifyBenchInput(
                path: path, format: "ofd", bytes: bytes, trust: TrustStore(roots: roots), roots: roots, stamped: false)
        }
        let pki = try DemoPKI.make()
        let seal = try benchOFDSeal(pki, esID: "SP-BENCH-0002")
        let request = OFDStampRequest(
            seal: seal, signer: try pki.sm2Signer.signer(), placements: [OFDStampPlacement(page: .last, xMM: 20, yMM: 20)])
        let all = roots + [pki.sm2Root.certificate, pki.rsaRoot.certificate]
        return VerifyBenchInput(
            path: path, format: "ofd", bytes: try OFDStamper.stamp(bytes, request: request), trust: TrustStore(roots: all),
            roots: all, stamped: true)
    }

    func verify() -> VerificationReport {
        format == "pdf"
            ? PDFVerifier.verify(bytes, options: PDFVerifyOptions(trust: trust))
            : OFDVerifier.verify(bytes, trust: trust)
    }
}

/// One verification benchmark run.
struct VerifyBenchResult: Codable {
    struct CryptoOperation: Codable {
        /// The signature algorithm as the report names it (e.g. SM2-SM3, RSA-SHA256).
        var algorithm: String
        /// Raw verifications of it one document verification needs (an SES seal signature: 2, signer + maker).
        var count: Int
        var verificationsPerSecond: Double
    }

    var file: String
    var format: String
    var inputBytes: Int
    var stamped: Bool
    var visibleSeal: Bool?
    var signatures: Int
    var indication: String
    var threads: Int
    var verifications: Int
    var verificationsPerSecond: Double
    /// Verifications per CPU-second of the verifying thread (the per-core rate on a shared machine).
    var verificationsPerCPUSecond: Double
    var p50Milliseconds: Double
    var parallelVerifications: Int
    var parallelVerificationsPerSecond: Double
    var cryptoOperations: [CryptoOperation]
    var digest: String
    var digestMegabytesPerSecond: Double
    /// 1 / (Σ count / rate + bytes / digest rate): verifications/s if nothing but the crypto took time.
    var limitVerificationsPerSecond: Double
    var fractionOfLimit: Double
    var pyhankoVerificationsPerSecond: Double?
    var pyhankoVerificationsPerCPUSecond: Double?
    var pyhankoValid: Bool?
    var ratioToPyHanko: Double?
    var loadAverage: [Double]?
    var notes: [String] = []

    var text: String {
        var lines = [
            "\(format.uppercased()) verification: \(file) (\(inputBytes) bytes\(stamped ? ", demo signature added" : ""), "
                + "\(signatures) signature\(signatures == 1 ? "" : "s"), \(indication))"
        ]
        lines.append(String(
            format: "  sealpress, 1 thread: %.1f verifications/s, %.1f per CPU-second (p50 %.3f ms, %d verifications)",
            verificationsPerSecond, verificationsPerCPUSecond, p50Milliseconds, verifications))
        lines.append(String(format: "  sealpress, %d threads: %.1f verifications/s", threads, parallelVerificationsPerSecond))
        let operations = cryptoOperations.map { String(format: "%d × %@ (%.0f/s)", $0.count, $0.algorithm, $0.verificationsPerSecond) }
        lines.append(String(
            format: "  crypto limit: %@ + %@ of the bytes (%.0f MB/s) → %.1f verifications/s; reached %.0f %%",
            operations.joined(separator: " + "), digest, digestMegabytesPerSecond, limitVerificationsPerSecond, fractionOfLimit * 100))
        if let wall = pyhankoVerificationsPerSecond, let cpu = pyhankoVerificationsPerCPUSecond, let ratio = ratioToPyHanko {
            lines.append(String(
                format: "  pyHanko validate_pdf_signature: %.1f verifications/s, %.1f per CPU-second → ratio %.1f× per core%@",
                wall, cpu, ratio, pyhankoValid == false ? " (pyHanko did not find the signature valid)" : ""))
        }
        if let load = loadAverage { lines.append("  load average: " + load.map { String(format: "%.2f", $0) }.joined(separator: " ")) }
        lines += notes.map { "  note: \($0)" }
        return lines.joined(separator: "\n")
    }
}

enum VerifyBench {
    static func measure(_ input: VerifyBenchInput, seconds: Double, threads: Int) throws -> VerifyBenchResult {
        let report = input.verify()
        guard !report.signatures.isEmpty else { throw CouldNotRun("\(input.path) carries no signature to verify") }

        // One thread.
        var latencies: [Double] = []
        let cpuStart = PDFStampBench.threadCPUSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        var now = start
        while now < deadline || latencies.isEmpty {
            let t0 = now
            let checked = input.verify()
            precondition(checked.signatures.count == report.signatures.count)
            now = DispatchTime.now().uptimeNanoseconds
            latencies.append(Double(now - t0) / 1e6)
        }
        let elapsed = Double(now - start) / 1e9
        let cpu = max(PDFStampBench.threadCPUSeconds() - cpuStart, 1e-9)
        latencies.sort()

        // All cores: each thread verifies until the deadline.
        let workers = max(threads, 1)
        let counted = Atomic<Int>(0)
        let parallelStart = DispatchTime.now().uptimeNanoseconds
        let parallelDeadline = parallelStart + UInt64(seconds * 1e9)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var done = 0
            repeat {
                _ = input.verify()
                done += 1
            } while DispatchTime.now().uptimeNanoseconds < parallelDeadline
            counted.add(done, ordering: .relaxed)
        }
        let parallelElapsed = Double(DispatchTime.now().uptimeNanoseconds - parallelStart) / 1e9
        let parallel = counted.load(ordering: .relaxed)

        // The crypto limit beside it, per CPU-second of this thread.
        var operations: [String: Int] = [:]
        for signature in report.signatures {
            let name = signature.algorithm ?? "unknown"
            operations[name, default: 0] += signature.sealName != nil ? 2 : 1
        }
        let limitSeconds = min(max(seconds / 2, 0.2), 2)
        var measured: [VerifyBenchResult.CryptoOperation] = []
        var notes: [String] = []
        for (name, count) in operations.sorted(by: { $0.key < $1.key }) {
            guard let rate = try rawVerificationRate(name, seconds: limitSeconds) else {
                notes.append("no raw rate for \(name): left out of the limit")
                continue
            }
            measured.append(.init(algorithm: name, count: count, verificationsPerSecond: rate))
        }
        if report.signatures.contains(where: { $0.sealName != nil }) {
            notes.append(
                "the limit counts two verifications per seal signature (signer and seal maker); the maker's signature "
                    + "over a seal is verified once per distinct seal in a process (SealMakerSignatures), so repeated "
                    + "verifications of one seal need only the signer's")
        }
        let usesSM3 = report.signatures.contains { ($0.algorithm ?? "").hasPrefix("SM2") }
        let digest: DigestAlgorithm = usesSM3 ? .sm3 : .sha256
        let digestRate = PDFStampBench.cpuRate(limitSeconds) { _ = Digest.hash(digest, input.bytes) } * Double(input.bytes.count)
        let perDocument = measured.reduce(Double(input.bytes.count) / digestRate) { $0 + Double($1.count) / $1.verificationsPerSecond }
        let limit = 1 / perDocument
        let perCPUSecond = Double(latencies.count) / cpu

        return VerifyBenchResult(
            file: input.path, format: input.format, inputBytes: input.bytes.count, stamped: input.stamped,
            visibleSeal: input.visibleSeal, signatures: report.signatures.count, indication: report.indication.rawValue,
            threads: workers, verifications: latencies.count, verificationsPerSecond: Double(latencies.count) / elapsed,
            verificationsPerCPUSecond: perCPUSecond, p50Milliseconds: latencies[latencies.count / 2],
            parallelVerifications: parallel, parallelVerificationsPerSecond: Double(parallel) / parallelElapsed,
            cryptoOperations: measured, digest: usesSM3 ? "SM3" : "SHA-256", digestMegabytesPerSecond: digestRate / 1e6,
            limitVerificationsPerSecond: limit, fractionOfLimit: perCPUSecond / limit, notes: notes)
    }

    /// Raw signature verifications per CPU-second for an algorithm name of the report (RSA assumed 2048-bit).
    static func rawVerificationRate(_ name: String, seconds: Double) throws -> Double? {
        let generation: KeyGenerationAlgorithm
        let algorithm: SignatureAlgorithm
        switch name {
        case "SM2-SM3": (generation, algorithm) = (.sm2, .sm2WithSM3)
        case "RSA-SHA256": (generation, algorithm) = (.rsa(bits: 2048), .rsaPKCS1SHA256)
        case "RSA-SHA384": (generation, algorithm) = (.rsa(bits: 2048), .rsaPKCS1SHA384)
        case "RSA-SHA512": (generation, algorithm) = (.rsa(bits: 2048), .rsaPKCS1SHA512)
        case "ECDSA-SHA256": (generation, algorithm) = (.ecdsaP256, .ecdsaWithSHA256)
        case "ECDSA-SHA384": (generation, algorithm) = (.ecdsaP384, .ecdsaWithSHA384)
        default: return nil
        }
        let key = try PrivateKey.generate(generation)
        let publicKey = key.publicKey
        // A signed-attributes-sized message, as in CMS / SES.
        let message = [UInt8](repeating: 0x5A, count: 256)
        let signature = try key.sign(message, algorithm: algorithm)
        return try PDFStampBench.cpuRate(seconds) {
            guard publicKey.verify(signature: signature, for: message, algorithm: algorithm) else {
                throw CouldNotRun("the \(name) self-check failed")
            }
        }
    }

    /// Runs the pyHanko harness on the same bytes with the same roots; returns its verifications/s.
    static func runPeer(_ script: String, input: VerifyBenchInput, seconds: Double) throws -> (wall: Double, cpu: Double, valid: Bool)? {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sealpress-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let documentURL = directory.appendingPathComponent("document.pdf")
        let rootsURL = directory.appendingPathComponent("roots.pem")
        try Data(input.bytes).write(to: documentURL)
        try Data(input.roots.map(\.pemRepresentation).joined(separator: "\n").utf8).write(to: rootsURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", script, "--file", documentURL.path, "--roots", rootsURL.path, "--seconds", String(seconds), "--json",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try? JSONSerialization.jsonObject(with: output) as? [String: Any],
            let rate = object["verificationsPerSecond"] as? Double, let cpu = object["verificationsPerCPUSecond"] as? Double
        else { return nil }
        return (rate, cpu, object["valid"] as? Bool ?? false)
    }

    /// The 1, 5 and 15 minute load averages (Linux), for the record.
    static func loadAverage() -> [Double]? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        let values = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        return values.count == 3 ? values : nil
    }
}
