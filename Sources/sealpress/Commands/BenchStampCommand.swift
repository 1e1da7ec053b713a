import ArgumentParser
import Dispatch
import Foundation
import SealCrypto
import SealPDF
import SealPipeline
import SealReport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `sealpress bench stamp --file F`: PDF stamps per second on one core, beside pyHanko (tuned) and the
/// SM2-sign + SM3 hardware limit measured in the same run; optionally a generated large PDF for peak memory.
struct BenchStampCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stamp",
        abstract: "Bench stamping a PDF (beside pyHanko) or an OFD document.",
        discussion: """
            PDF: one thread signs the same in-memory input again and again for --seconds (a fresh incremental \
            update each time, nothing cached between documents except the signer and the seal picture). \
            RSA-2048 runs the pyHanko harness (Benchmarks/pyhanko, key parsed once, fixed reservation) on the \
            same file right after; SM2 is compared with the SM2-sign + SM3 limit for that file size.

            OFD: a demo SM2 seal stamped on the last page. Five interleaved rounds on the thread's CPU time (stamps \
            for a slice of --seconds, then raw SM2 signatures for as long) give the share of the SM2-sign limit \
            (median of the per-round ratios) and of the SM2 + SM3 limit (the signature plus hashing every file of \
            the package once, as the References must); inflating the package is timed too, which gives the \
            libraries' limit (signature, SM3 and zlib per stamp) and the ceiling of the SM2-sign share if all of \
            our own work cost nothing; then stamps on all cores and verifications of the output.

            Examples:
              sealpress bench stamp --file declaration.pdf --seconds 10
              sealpress bench stamp --file receipt.ofd --json
            """
    )

    @Option(help: "The document to stamp (PDF or OFD).")
    var file: String?

    @Option(help: "Key algorithm: rsa2048 or sm2.")
    var algorithm: String = "rsa2048"

    @Option(
        name: .customLong("key-ref"),
        help: ArgumentHelp(
            "Sign with this key reference instead of a generated key: file:…, pkcs12:…, a pkcs11: URI (a token key) or "
                + "sealpress+https://… (a signing service key); the output is checked for integrity only and the pyHanko peer is skipped.",
            valueName: "reference"))
    var keyRef: String?

    @Option(help: ArgumentHelp(
        "PDF: after the one-thread figure, also stamp on this many threads at once (each its own stamper, one shared "
            + "signer, as a worker's slots share a seal's key) and print their total docs/s.", valueName: "n"))
    var threads: Int = 1

    @Flag(help: "Draw a visible seal (PNG with alpha).")
    var visible = false

    @Option(help: "Seal picture for --visible (default: Benchmarks/seal-400.png or the built-in red seal).")
    var image: String?

    @Option(help: "Seconds to measure each side.")
    var seconds: Double = 5

    @Option(help: "pyHanko harness (default Benchmarks/pyhanko/bench_pyhanko_stamp.py); 'none' skips the peer.")
    var peer: String = "Benchmarks/pyhanko/bench_pyhanko_stamp.py"

    @Option(name: .customLong("generate-mb"), help: "Instead of --file: generate a PDF of this many MB and stamp it once (peak RSS).")
    var generateMB: Int?

    @Option(
        name: .customLong("keyword"),
        help: ArgumentHelp(
            "PDF: time keyword placement on this text (repeatable) against fixed placement of the same visible seal "
                + "and print the cost ratio (the pyHanko peer is not run).", valueName: "text"))
    var keywords: [String] = []

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        if let generateMB {
            let result = try PDFStampBench.largeFile(megabytes: generateMB, algorithm: algorithm)
            try emit(result)
            return
        }
        guard let file else { throw CouldNotRun("--file is required (or --generate-mb)") }
        let bytes = try PDFStampBench.readFile(file)
        switch DocumentFormat.detect(bytes) {
        case .pdf where !keywords.isEmpty:
            if keyRef != nil { throw CouldNotRun("--keyword times a generated key; leave out --key-ref") }
            let result = try PDFStampBench.measureKeyword(
                file: file, bytes: bytes, algorithm: algorithm, imagePath: image, seconds: seconds, keywords: keywords)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                print(result.text)
            }
        case .pdf:
            let result = try PDFStampBench.measure(
                file: file, bytes: bytes, algorithm: algorithm, visible: visible, imagePath: image, seconds: seconds,
                peer: peer == "none" || keyRef != nil ? nil : peer, keyRef: keyRef, threads: threads)
            try emit(result)
        case .ofd:
            let result = try benchStampOFD(file: file, seconds: seconds)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                print(result.text)
            }
        case nil:
            throw CouldNotRun("\(file) is neither a PDF nor an OFD document")
        }
    }

    private func emit(_ result: PDFStampBenchResult) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(result.text)
        }
    }
}

/// One PDF stamping benchmark run.
struct PDFStampBenchResult: Codable {
    var file: String
    var inputBytes: Int
    var algorithm: String
    var visible: Bool
    var docs: Int
    var docsPerSecond: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    /// Documents per CPU-second of the stamping thread (the per-core rate on a shared machine).
    var docsPerCPUSecond: Double?
    var pyhankoDocsPerSecond: Double?
    var pyhankoDocsPerCPUSecond: Double?
    var ratioToPyHanko: Double?
    /// SM2 only: raw SM2 signatures/s and SM3 MB/s on this core, and the implied docs/s limit.
    var sm2SignaturesPerSecond: Double?
    var sm3MegabytesPerSecond: Double?
    var limitDocsPerSecond: Double?
    var fractionOfLimit: Double?
    /// Large-file run: peak resident memory over the file size.
    var peakRSSBytes: Int?
    var peakRSSOverFileSize: Double?
    var outputVerified: Bool?
    /// `--threads N` (N > 1): the threads stamping at once and their total documents per wall-clock second.
    var threads: Int?
    var allThreadsDocsPerSecond: Double?

    var text: String {
        var lines = ["PDF stamping: \(file) (\(inputBytes) bytes), \(algorithm), \(visible ? "visible seal" : "invisible")"]
        lines.append(String(format: "  sealpress: %.1f docs/s on one core (p50 %.2f ms, p99 %.2f ms, %d docs)", docsPerSecond, p50Milliseconds, p99Milliseconds, docs))
        if let cpu = docsPerCPUSecond { lines.append(String(format: "  sealpress: %.1f docs per CPU-second", cpu)) }
        if let peer = pyhankoDocsPerSecond, let peerCPU = pyhankoDocsPerCPUSecond, let ratio = ratioToPyHanko {
            lines.append(String(format: "  pyHanko tuned: %.1f docs/s, %.1f docs per CPU-second → ratio %.1f× (CPU-time based)", peer, peerCPU, ratio))
        }
        if let limit = limitDocsPerSecond, let fraction = fractionOfLimit {
            lines.append(String(format: "  SM2 sign %.0f/s + SM3 %.0f MB/s → limit %.0f docs/s; reached %.0f %%", sm2SignaturesPerSecond ?? 0, sm3MegabytesPerSecond ?? 0, limit, fraction * 100))
        }
        if let threads, let total = allThreadsDocsPerSecond {
            lines.append(String(format: "  sealpress: %.1f docs/s on %d threads at once", total, threads))
        }
        if let rss = peakRSSBytes, let ratio = peakRSSOverFileSize {
            lines.append(String(format: "  peak RSS %.1f MB = %.2f× the file size; output verified: %@", Double(rss) / 1e6, ratio, (outputVerified ?? false) ? "yes" : "no"))
        }
        return lines.joined(separator: "\n")
    }
}

enum PDFStampBench {
    /// CPU seconds used by the calling thread (so a shared, loaded machine does not distort per-core rates).
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Runs `body` until the calling thread has used `seconds` of CPU (at least once); returns runs per CPU-second.
    static func cpuRate(_ seconds: Double, _ body: () throws -> Void) rethrows -> Double {
        let start = threadCPUSeconds()
        var runs = 0
        var used = 0.0
        repeat {
            try body()
            runs += 1
            used = threadCPUSeconds() - start
        } while used < seconds
        return Double(runs) / max(used, 1e-9)
    }

    /// Reads a file straight into an array (no intermediate Data copy: matters for the large-file run).
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CouldNotRun("cannot open \(path)") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CouldNotRun("cannot stat \(path)") }
        let size = Int(info.st_size)
        return try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                guard n > 0 else { throw CouldNotRun("cannot read \(path)") }
                done += n
            }
            count = size
        }
    }

    /// A self-signed identity for the run (RSA-2048 or SM2).
    static func identity(_ algorithm: String) throws -> (SoftwareSigner, PrivateKey, Certificate) {
        let generation: KeyGenerationAlgorithm
        switch algorithm {
        case "rsa2048": generation = .rsa(bits: 2048)
        case "sm2": generation = .sm2
        default: throw CouldNotRun("--algorithm must be rsa2048 or sm2")
        }
        let key = try PrivateKey.generate(generation)
        let now = Date()
        var builder = CertificateBuilder(
            subject: try .build(commonName: "SealPress Bench Signer", country: "CN"), publicKey: key.publicKey,
            notBefore: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(86_400 * 30))
        builder.makeCA()
        let certificate = try builder.sign(issuer: nil, signer: try SoftwareSigner(key: key))
        return (try SoftwareSigner(key: key, certificate: certificate), key, certificate)
    }

    static func sealPicture(_ path: String?) throws -> [UInt8] {
        for candidate in [path, "Benchmarks/seal-400.png", "../shared/corpus/bench/seal-400.png"].compactMap({ $0 }) {
            if FileManager.default.fileExists(atPath: candidate) { return try readFile(candidate) }
        }
        throw CouldNotRun("no seal picture: pass --image seal.png")
    }

    static func measure(
        file: String, bytes: [UInt8], algorithm: String, visible: Bool, imagePath: String?, seconds: Double,
        peer: String?, keyRef: String? = nil, threads: Int = 1
    ) throws -> PDFStampBenchResult {
        let signer: any Signer
        let key: PrivateKey?
        let certificate: Certificate
        var algorithm = algorithm
        if let keyRef {
            // The same signer a worker gets for a registered seal (a token key: one pooled session, logged in once).
            let reference: KeyReference
            switch KeyInput.reference(keyRef, flag: "--key-ref") {
            case .success(let parsed): reference = parsed
            case .failure(let problem): throw CouldNotRun(problem.message)
            }
            signer = try KeyInput.resolve(reference, flag: "--key-ref")
            guard let leaf = signer.certificate else { throw CouldNotRun("--key-ref gives no certificate") }
            certificate = leaf
            key = nil
            algorithm = "\(reference.kind.rawValue) \(signer.algorithm)"
        } else {
            let generated = try identity(algorithm)
            (signer, key, certificate) = (generated.0, generated.1, generated.2)
        }
        let isSM2 = signer.algorithm == .sm2WithSM3
        let picturePath = visible ? try sealPicture(imagePath) : []
        let image = visible ? try SealImage(imageBytes: picturePath) : nil
        let request = PDFStampRequest(
            signer: signer, format: isSM2 ? .sm2() : .padesBB,
            placement: visible ? PDFPlacement(page: .last, xMM: 10, yMM: 10, widthMM: 40) : nil, image: image,
            fieldName: "Seal1", signingTime: Date())
        let stamper = try PDFStamper(request)
        // Check the output once before timing it (a referenced key's chain is not known here: integrity only).
        let sample = try stamper.stamp(bytes)
        let anchors = [certificate] + signer.certificateChain
        let report = PDFVerifier.verify(sample, options: PDFVerifyOptions(trust: TrustStore(roots: anchors)))
        // A generated key is its own root; a referenced key's CA is not known here, so its signature's integrity
        // (digest, signature value by the certificate's key) is what must pass.
        let verifies = keyRef == nil
            ? report.indication == .passed
            : !report.signatures.isEmpty && report.signatures.allSatisfy { $0.integrity.indication == .passed }
        guard verifies else { throw CouldNotRun("the benchmark output does not verify: \(report.verdict.reasons)") }

        var latencies: [Double] = []
        let cpuStart = threadCPUSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        var now = start
        while now < deadline {
            let t0 = now
            let written = try stamper.stampUpdate(bytes)
            precondition(written.count > bytes.count)
            now = DispatchTime.now().uptimeNanoseconds
            latencies.append(Double(now - t0) / 1e6)
        }
        let elapsed = Double(now - start) / 1e9
        let cpu = threadCPUSeconds() - cpuStart
        latencies.sort()
        var result = PDFStampBenchResult(
            file: file, inputBytes: bytes.count, algorithm: algorithm, visible: visible, docs: latencies.count,
            docsPerSecond: Double(latencies.count) / elapsed, p50Milliseconds: latencies[latencies.count / 2],
            p99Milliseconds: latencies[min(latencies.count - 1, latencies.count * 99 / 100)])
        result.docsPerCPUSecond = Double(latencies.count) / cpu
        if threads > 1 {
            result.threads = threads
            result.allThreadsDocsPerSecond = try concurrentRate(
                stampers: (0..<threads).map { _ in try PDFStamper(request) }, bytes: bytes, seconds: seconds)
        }

        if isSM2 {
            // The limit beside it, in CPU time like the stamping rate: one SM2 signature + SM3 over the file.
            let message = [UInt8](repeating: 0x5A, count: 256)
            var signatures = 0
            let t0 = threadCPUSeconds()
            while threadCPUSeconds() - t0 < 2 {
                _ = try signer.sign(message)
                signatures += 1
            }
            let signRate = Double(signatures) / (threadCPUSeconds() - t0)
            var hashed = 0
            let t1 = threadCPUSeconds()
            while threadCPUSeconds() - t1 < 2 {
                _ = Digest.hash(.sm3, bytes)
                hashed += bytes.count
            }
            let sm3Rate = Double(hashed) / (threadCPUSeconds() - t1)
            let limit = 1 / (1 / signRate + Double(bytes.count) / sm3Rate)
            result.sm2SignaturesPerSecond = signRate
            result.sm3MegabytesPerSecond = sm3Rate / 1e6
            result.limitDocsPerSecond = limit
            result.fractionOfLimit = (result.docsPerCPUSecond ?? result.docsPerSecond) / limit
        } else if let peer, let key, FileManager.default.fileExists(atPath: peer) {
            let peerResult = try runPeer(
                peer, file: file, key: key, certificate: certificate, image: visible ? (imagePath ?? firstExisting()) : nil,
                seconds: seconds)
            result.pyhankoDocsPerSecond = peerResult?.wall
            result.pyhankoDocsPerCPUSecond = peerResult?.cpu
            if let peerRate = peerResult?.cpu, peerRate > 0, let ours = result.docsPerCPUSecond {
                result.ratioToPyHanko = ours / peerRate
            }
        }
        return result
    }

    /// Each stamper on its own thread (not GCD's pool, which would run no more threads than cores) for `seconds`;
    /// the documents all of them wrote per wall-clock second.
    private static func concurrentRate(stampers: [PDFStamper], bytes: [UInt8], seconds: Double) throws -> Double {
        let counts = Mutex([Int](repeating: 0, count: stampers.count))
        let failure = Mutex<(any Error)?>(nil)
        let group = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        for (index, stamper) in stampers.enumerated() {
            group.enter()
            let box = UncheckedBox(stamper)
            let thread = Thread {
                var written = 0
                do {
                    while DispatchTime.now().uptimeNanoseconds < deadline {
                        _ = try box.value.stampUpdate(bytes)
                        written += 1
                    }
                } catch {
                    failure.withLock { $0 = error }
                }
                counts.withLock { $0[index] = written }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Double(counts.withLock { $0.reduce(0, +) }) / elapsed
    }

    private static func firstExisting() -> String? {
        ["Benchmarks/seal-400.png", "../shared/corpus/bench/seal-400.png"].first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Runs the pyHanko harness on the same file with the same key; returns its docs/s.
    static func runPeer(
        _ script: String, file: String, key: PrivateKey, certificate: Certificate, image: String?, seconds: Double
    ) throws -> (wall: Double, cpu: Double)? {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sealpress-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyURL = directory.appendingPathComponent("key.pem")
        let certURL = directory.appendingPathComponent("cert.pem")
        try Data(key.pemRepresentation.utf8).write(to: keyURL)
        try Data(certificate.pemRepresentation.utf8).write(to: certURL)
        var arguments = [script, "--file", file, "--key", keyURL.path, "--cert", certURL.path, "--seconds", String(seconds), "--json"]
        if let image { arguments += ["--visible", "--image", image] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try? JSONSerialization.jsonObject(with: output) as? [String: Any],
            let rate = object["docsPerSecond"] as? Double, let cpu = object["docsPerCPUSecond"] as? Double
        else { return nil }
        return (rate, cpu)
    }

    /// Generates a PDF of about `megabytes` MB (one page + one incompressible stream), stamps it once with the
    /// file held in memory exactly once, writes the output, and reports peak RSS.
    static func largeFile(megabytes: Int, algorithm: String) throws -> PDFStampBenchResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sealpress-large-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("large.pdf").path
        let output = directory.appendingPathComponent("large-signed.pdf").path
        do {
            try SampleDocuments.writeLargePDF(path: input, imageBytes: megabytes * 1_000_000)
        } catch {
            throw CouldNotRun("cannot write the large sample PDF: \(error)")
        }
        let (signer, _, certificate) = try identity(algorithm)
        let picture = try SealImage(imageBytes: try sealPicture(nil))
        let stamper = try PDFStamper(
            PDFStampRequest(
                signer: signer, format: algorithm == "sm2" ? .sm2() : .padesBB,
                placement: PDFPlacement(page: .last, xMM: 10, yMM: 10, widthMM: 40), image: picture, fieldName: "Seal1"))
        let start = DispatchTime.now().uptimeNanoseconds
        var size = 0
        do {
            let bytes = try readFile(input)
            size = bytes.count
            let written = try stamper.stampUpdate(bytes)
            let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw CouldNotRun("cannot write \(output)") }
            for part in [written.original, written.appended] {
                try part.withUnsafeBytes { raw in
                    var done = 0
                    while done < raw.count {
                        let n = write(fd, raw.baseAddress! + done, raw.count - done)
                        guard n > 0 else { throw CouldNotRun("write failed") }
                        done += n
                    }
                }
            }
            close(fd)
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peak = Int(usage.ru_maxrss) * 1024
        // Verify after measuring (verification holds the output in memory).
        let signed = try readFile(output)
        let verified = PDFVerifier.verify(signed, options: PDFVerifyOptions(trust: TrustStore(roots: [certificate]))).indication == .passed
        var result = PDFStampBenchResult(
            file: "generated \(megabytes) MB", inputBytes: size, algorithm: algorithm, visible: true, docs: 1,
            docsPerSecond: 1 / elapsed, p50Milliseconds: elapsed * 1000, p99Milliseconds: elapsed * 1000)
        result.peakRSSBytes = peak
        result.peakRSSOverFileSize = Double(peak) / Double(max(size, 1))
        result.outputVerified = verified
        return result
    }
}

/// Hands a stamper to the one thread that uses it.
private final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
