import Foundation
import SealCrypto
import SealTestSupport
import Testing

@testable import SealPDF

/// Stamped outputs judged by the foreign verifiers: pyHanko (oracle), pdfsig, qpdf.
@Suite struct InteropPeerTests {
    @Test func visiblePAdESOnMinimalDocumentIsTrustedAndUntouched() throws {
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
