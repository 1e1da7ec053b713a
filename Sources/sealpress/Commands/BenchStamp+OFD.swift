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

    var text: String {
        """
        OFD stamping: \(document) (\(pages) pages, \(inputBytes) bytes -> \(outputBytes) bytes)
          stamps/s, 1 thread:        \(String(format: "%.1f", stampsPerSecondSingle))  (mean \(String(format: "%.2f", meanStampMilliseconds)) ms)
          stamps/s, \(threads) threads:       \(String(format: "%.1f", stampsPerSecondParallel))
          verifications/s, 1 thread: \(String(format: "%.1f", verificationsPerSecond))
          limit beside it: SM2 signatures/s \(String(format: "%.1f", sm2SignaturesPerSecond)), SM3 \(String(format: "%.0f", sm3MegabytesPerSecond)) MB/s
        """
    }
}

/// Measures OFD stamps per second: a given file or a generated multi-page document, a fresh demo PKI and seal.
///
/// Called by `sealpress bench stamp` for OFD input (the bench command wires it).
func benchStampOFD(
    file: String?, pages: Int = 20, iterations: Int = 200,
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

    // One thread.
    var output: [UInt8] = []
    let single = try measure { for _ in 0..<count { output = try OFDStamper.stamp(document, request: request) } }
    // Several threads, each stamping its share.
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
    let verifications = max(count / 2, 1)
    var indication = Indication.passed
    let verify = try measure {
        for _ in 0..<verifications {
            // Our signature (the last) must pass; earlier vendor signatures may lack a trust anchor here.
            indication = OFDVerifier.verify(output, trust: trust).signatures.last?.verdict.indication ?? .failed
        }
    }
    guard indication == .passed else { throw CouldNotRun("the stamped benchmark document does not verify") }
    // The limits beside it.
    let signer = try pki.sm2Signer.signer()
    let message = [UInt8](repeating: 0x5A, count: 512)
    let signatures = max(count, 50)
    let sm2 = try measure { for _ in 0..<signatures { _ = try signer.sign(message) } }
    let block = [UInt8](repeating: 0xA5, count: 8 << 20)
    let sm3 = try measure { for _ in 0..<4 { _ = Digest.hash(.sm3, block) } }

    return OFDStampBenchResult(
        document: file ?? "generated", pages: pageCount, inputBytes: document.count, outputBytes: output.count,
        threads: workers, stampsPerSecondSingle: Double(count) / single,
        stampsPerSecondParallel: Double(share * workers) / parallel, meanStampMilliseconds: single * 1000 / Double(count),
        verificationsPerSecond: Double(verifications) / verify, sm2SignaturesPerSecond: Double(signatures) / sm2,
        sm3MegabytesPerSecond: Double(4 * 8) / sm3)
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
