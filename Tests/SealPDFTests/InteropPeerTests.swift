import Foundation
import SealCrypto
import SealTestSupport
import Testing

@testable import SealPDF

/// Stamped outputs judged by the foreign verifiers: pyHanko (oracle), pdfsig, qpdf.
@Suite struct InteropPeerTests {
    @Test(.peerExecutable("pyhanko")) func visiblePAdESOnMinimalDocumentIsTrustedAndUntouched() throws {
        guard TestEnvironment.peerAvailable("pyhanko", PDFPeers.pyhanko != nil) else { return }
        let input = try SignFixtures.corpus("sf-minimal-document.pdf")
        let output = try PDFStamper.stamp(input, request: SignFixtures.request(try SignFixtures.rsaSigner()))
        #expect(Array(output[0..<input.count]) == input)
        let file = try SignFixtures.write(output)
        let result = try PDFPeers.pyhankoValidate(file, trust: try SignFixtures.rootPEM())
        #expect(result.lines.count == 1, "\(result.stderr)")
        #expect(result.lines.first?.hasSuffix(":INTACT:TRUSTED,UNTOUCHED") == true, "\(result.lines) \(result.stderr)")
        #expect(result.status == 0)
    }
}

/// Several seals one after another: pyHanko keeps every earlier signature intact and acceptable.
@Suite(.serialized) struct InteropMultiSealTests {
    @Test func twoSealsOnAFormDocumentAreBothAcceptedByPyHankoAndPdfsig() throws {
        var bytes = try SignFixtures.corpus("sf-libreoffice-form.pdf")
        bytes = try PDFStamper.stamp(bytes, request: SignFixtures.request(try SignFixtures.rsaSigner()))
        bytes = try PDFStamper.stamp(bytes, request: SignFixtures.request(try SignFixtures.ecdsaSigner(), page: .number(1)))
        let file = try SignFixtures.write(bytes)
        if TestEnvironment.peerAvailable("pyhanko", PDFPeers.pyhanko != nil) {
            let result = try PDFPeers.pyhankoValidate(file, trust: try SignFixtures.rootPEM())
            #expect(result.status == 0, "\(result.lines) \(result.stderr.suffix(300))")
            #expect(result.lines.count == 2)
            #expect(result.lines.allSatisfy { $0.contains(":INTACT:TRUSTED") && !$0.contains("ILLEGAL") }, "\(result.lines)")
            #expect(result.lines.contains { $0.hasPrefix("Seal2:") && $0.hasSuffix("UNTOUCHED") })
        }
        if TestEnvironment.peerAvailable("pdfsig", PDFPeers.pdfsig != nil) {
            let text = try PDFPeers.pdfsigOutput(file)
            #expect(text.components(separatedBy: "Signature is Valid").count == 3, "\(text)")
        }
    }
}
