import Dispatch
import Synchronization
import ElectronicSeal
import Foundation
import SealCrypto
import SealOFD
import SealReport

/// What `sealpress bench stamp` measures on an OFD document.
struct OFDStampBenchResult: Codable, Sendable {
    var document: String
    var pages: Int
    var inputBytes: Int
    var outputBytes: Int
    var threads: Int
    /// Stamps per second on one thread, and with `threads` threads.
    var stampsPerSecondSingle: Double
    var stampsPerSecondParallel: Double
    var meanStampMilliseconds: Double
    /// Full verifications (References, seal, chains) per second on one thread.
    var verificationsPerSecond: Double
    /// The hardware limit beside it: raw SM2 signatures per second (one per stamp) on one thread.
    var sm2SignaturesPerSecond: Double
    /// SM3 throughput on one thread, MB/s (every file of the package is hashed once per stamp).
    var sm3MegabytesPerSecond: Double
    /// Interleaved rounds (a stamp phase, then an SM2 phase, on the thread's CPU time) the ratios come from.
    var rounds: Int
    /// Per round: stamps per CPU-second over raw SM2 signatures per CPU-second (one signature per stamp).
    var ratioRounds: [Double]
    /// The median of ``ratioRounds``: the share of the SM2-sign limit a stamp reaches.
    var ratioToSM2Limit: Double
    /// Uncompressed bytes of every file of the input package: what the new signature's References hash with SM3.
    var hashedBytesPerStamp: Int
    /// The limit that also counts hashing those bytes once: 1 / (1/SM2 signs/s + bytes / SM3 bytes/s).
    var sm2AndSM3LimitPerSecond: Double
    /// The median over the rounds of stamps per CPU-second over that round's SM2 + SM3 limit.
    var ratioToSM2AndSM3Limit: Double
    /// Inflating and CRC-checking every file of the input package once (zlib), per CPU-second.
    var packagesInflatedPerSecond: Double
    /// What the libraries alone allow: one SM2 signature, SM3 over every file and inflating the package, per stamp.
    var librariesLimitPerSecond: Double
    /// The median over the rounds of stamps per CPU-second over that round's libraries limit.
    var ratioToLibrariesLimit: Double
    /// The share of the SM2-sign limit a stamp would reach if everything of ours cost nothing (median over the
    /// rounds of the libraries limit over raw SM2 signatures): the ceiling of ``ratioToSM2Limit`` on this file.
    var sm2ShareCeiling: Double

    var text: String {
        """
        OFD stamping: \(document) (\(pages) pages, \(inputBytes) bytes -> \(outputBytes) bytes)
          stamps/s, 1 thread:        \(String(format: "%.1f", stampsPerSecondSingle))  (mean \(String(format: "%.2f", meanStampMilliseconds)) ms)
          stamps/s, \(threads) threads:       \(String(format: "%.1f", stampsPerSecondParallel))
          verifications/s, 1 thread: \(String(format: "%.1f", verificationsPerSecond))
          limit beside it: SM2 signatures/s \(String(format: "%.1f", sm2SignaturesPerSecond)), SM3 \(String(format: "%.0f", sm3MegabytesPerSecond)) MB/s
          share of the SM2-sign limit: \(String(format: "%.2f", ratioToSM2Limit)) (median of \(rounds) interleaved rounds on the thread's CPU time: \(ratioRounds.map { String(format: "%.2f", $0) }.joined(separator: ", ")))
          share of the SM2 + SM3 limit (\(hashedBytesPerStamp) bytes hashed per stamp): \(String(format: "%.2f", ratioToSM2AndSM3Limit)) of \(String(format: "%.1f", sm2AndSM3LimitPerSecond))/s
          share of the libraries' limit (SM2 + SM3 + inflating the package, \(String(format: "%.0f", packagesInflatedPerSecond))/s): \(String(format: "%.2f", ratioToLibrariesLimit)) of \(String(format: "%.1f", librariesLimitPerSecond))/s
          ceiling of the SM2-sign share with all of our own code free: \(String(format: "%.2f", sm2ShareCeiling))
        """
    }
}

/// Measures OFD stamps per second: a given file or a generated multi-page document, a fresh demo PKI and seal.
///
/// Called by `sealpress bench stamp` for OFD input (the bench command wires it).
func benchStampOFD(
    file: String?, pages: Int = 20, iterations: Int = 200, seconds: Double = 5,
    threads: Int = ProcessInfo.processInfo.activeProcessorCount
) throws -> OFDStampBenchResult {
    let document: [UInt8]
    if let file {
        document = try OFDCommandFiles.read(file, what: "document")
    } else {
        document = try OFDSampleDocument.make(pages: pages)
    }
    let pageCount = try OFDDocument(package: OFDPackage(document)).pages.count
    let pki = try DemoPKI.make()
    let seal = try benchOFDSeal(pki, esID: "SP-BENCH-0001")
    let request = OFDStampRequest(
        seal: seal, signer: try pki.sm2Signer.signer(),
        placements: [OFDStampPlacement(page: .last, xMM: 20, yMM: 20)])
    let count = max(iterations, 1)
    let signer = try pki.sm2Signer.signer()
    let message = [UInt8](repeating: 0x5A, count: 512)
    var output = try OFDStamper.stamp(document, request: request)  // warm-up; its output is verified below
    _ = try signer.sign(message)

    // Interleaved rounds on this thread's CPU time: stamps for a slice, then raw SM2 signatures for a slice. The
    // per-round ratio is taken, so a machine whose speed drifts moves both sides of each ratio alike.
    let roundCount = 5
    let slice = max(0.1, seconds / Double(roundCount * 2))
    var stampRates: [Double] = []
    var signRates: [Double] = []
    for _ in 0..<roundCount {
        stampRates.append(try PDFStampBench.cpuRate(slice) { output = try OFDStamper.stamp(document, request: request) })
        signRates.append(try PDFStampBench.cpuRate(slice) { _ = try signer.sign(message) })
    }
    let roundedRatios = zip(stampRates, signRates).map { ($0 / $1 * 1000).rounded() / 1000 }
    let stampRate = median(stampRates)
    let signRate = median(signRates)
    // Several threads, each stamping its share (wall clock: the cores are what is measured).
    let workers = max(threads, 1)
    let share = max(count / workers, 1)
    let failure = Mutex<(any Error)?>(nil)
    let parallel = try measure {
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            do {
                for _ in 0..<share { _ = try OFDStamper.stamp(document, request: request) }
            } catch {
                failure.withLock { $0 = error }
            }
        }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    // Verification of the stamped output.
    let trust = pki.trustStore
    var indication = Indication.passed
    let verifyRate = try PDFStampBench.cpuRate(slice) {
        // Our signature (the last) must pass; earlier vendor signatures may lack a trust anchor here.
        indication = OFDVerifier.verify(output, trust: trust).signatures.last?.verdict.indication ?? .failed
    }
    guard indication == .passed else { throw CouldNotRun("the stamped benchmark document does not verify") }
    // SM3 over the bytes a stamp must hash: every file of the input package, uncompressed.
    let archive = try OFDPackage(document).archive
    let files = archive.entries.filter { !$0.isDirectory }
    let hashed = files.reduce(0) { $0 + $1.uncompressedSize }
    let block = [UInt8](repeating: 0xA5, count: 8 << 20)
    let sm3 = try PDFStampBench.cpuRate(slice) { _ = Digest.hash(.sm3, block) } * Double(block.count)
    func limit(_ signs: Double) -> Double { 1 / (1 / signs + Double(hashed) / sm3) }
    let combined = limit(signRate)
    // Per round too, so the two shares are medians of the same rounds (and keep their order).
    let combinedRatios = zip(stampRates, signRates).map { $0 / limit($1) }
    // Inflating (and CRC-checking) every file once, as a stamp must before hashing: zlib's part of a stamp.
    let inflations = try PDFStampBench.cpuRate(slice) { for entry in files { _ = try archive.contents(of: entry) } }
    func librariesLimit(_ signs: Double) -> Double { 1 / (1 / limit(signs) + 1 / inflations) }
    let librariesRatios = zip(stampRates, signRates).map { $0 / librariesLimit($1) }
    let ceilings = signRates.map { librariesLimit($0) / $0 }

    return OFDStampBenchResult(
        document: file ?? "generated", pages: pageCount, inputBytes: document.count, outputBytes: output.count,
        threads: workers, stampsPerSecondSingle: stampRate,
        stampsPerSecondParallel: Double(share * workers) / parallel, meanStampMilliseconds: 1000 / stampRate,
        verificationsPerSecond: verifyRate, sm2SignaturesPerSecond: signRate, sm3MegabytesPerSecond: sm3 / 1e6,
        rounds: roundCount, ratioRounds: roundedRatios, ratioToSM2Limit: median(roundedRatios),
        hashedBytesPerStamp: hashed, sm2AndSM3LimitPerSecond: combined, ratioToSM2AndSM3Limit: median(combinedRatios),
        packagesInflatedPerSecond: inflations, librariesLimitPerSecond: librariesLimit(signRate),
        ratioToLibrariesLimit: median(librariesRatios), sm2ShareCeiling: median(ceilings))
}

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

private func measure(_ body: () throws -> Void) throws -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The demo seal the OFD benchmarks stamp with: made by the demo seal maker for the demo SM2 signer, valid for a day.
func benchOFDSeal(_ pki: DemoPKI, esID: String) throws -> [UInt8] {
    var sealBuilder = SealBuilder(
        name: "SealPress 基准测试专用章", type: 1, esID: esID,
        picture: SESPictureInfo(type: "PNG", data: [0x89, 0x50, 0x4E, 0x47], widthMM: 40, heightMM: 40),
        signerCertificates: [pki.sm2Signer.certificate.der], validStart: Date().addingTimeInterval(-3600),
        validEnd: Date().addingTimeInterval(86_400))
    sealBuilder.createDate = Date().addingTimeInterval(-3600)
    return Array(try sealBuilder.build(maker: pki.sealMaker.signer()).derEncoded)
}
