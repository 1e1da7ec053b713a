// OFD stamps per CPU-second beside raw SM2 signatures per CPU-second, interleaved rounds (what `sealpress bench stamp
// --file F.ofd` measures, by thread CPU time). Not a package target: build it with ./stamp-ratio.sh (Docs/benchmarks.md).
import Foundation
import SealCrypto
import ElectronicSeal
import SealOFD
#if canImport(Glibc)
import Glibc
#endif

func cpu() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

let path = CommandLine.arguments[1]
let rounds = Int(CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "5")!
let document = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
let pki = try DemoPKI.make()
var sealBuilder = SealBuilder(
    name: "SealPress 基准测试专用章", type: 1, esID: "SP-BENCH-0001",
    picture: SESPictureInfo(type: "PNG", data: [0x89, 0x50, 0x4E, 0x47], widthMM: 40, heightMM: 40),
    signerCertificates: [pki.sm2Signer.certificate.der], validStart: Date().addingTimeInterval(-3600),
    validEnd: Date().addingTimeInterval(86_400))
sealBuilder.createDate = Date().addingTimeInterval(-3600)
let seal = Array(try sealBuilder.build(maker: pki.sealMaker.signer()).derEncoded)
let request = OFDStampRequest(
    seal: seal, signer: try pki.sm2Signer.signer(),
    placements: [OFDStampPlacement(page: .last, xMM: 20, yMM: 20)])
let signer = try pki.sm2Signer.signer()
let message = [UInt8](repeating: 0x5A, count: 512)
var out: [UInt8] = []
for _ in 0..<20 { out = try OFDStamper.stamp(document, request: request) }
var ratios: [Double] = []
for _ in 0..<rounds {
    var n = 0; let s0 = cpu()
    while cpu() - s0 < 1.0 { out = try OFDStamper.stamp(document, request: request); n += 1 }
    let stampRate = Double(n) / (cpu() - s0)
    var m = 0; let t0 = cpu()
    while cpu() - t0 < (ProcessInfo.processInfo.environment["STAMPONLY"] == nil ? 1.0 : 0.001) { _ = try signer.sign(message); m += 1 }
    let signRate = Double(m) / (cpu() - t0)
    ratios.append(stampRate / signRate)
    print(String(format: "stamps/CPU-s %.0f  sm2/CPU-s %.0f  ratio %.3f", stampRate, signRate, stampRate / signRate))
}
print("median", ratios.sorted()[ratios.count / 2], "output bytes", out.count)
