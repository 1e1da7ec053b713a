import Foundation
import SealCrypto
import SealPipeline
import Testing

/// The pipeline's `revocation:` key (how `verify_after_signing` checks CRL/OCSP status).
@Suite struct RevocationPolicyTests {
    static let base = InboundPolicyTests.base

    @Test func revocationIsReadAndDefaultsToSoft() throws {
        #expect(try PipelineLoader.load(yaml: Self.base).revocation == .soft)
        #expect(try PipelineLoader.load(yaml: Self.base + "revocation: hard\n").revocation == .hard)
        #expect(try PipelineLoader.load(yaml: Self.base + "revocation: off\n").revocation == .off)
    }

    @Test func anUnknownRevocationPolicyIsAProblemAtItsLine() {
        #expect {
            _ = try PipelineLoader.load(yaml: Self.base + "revocation: maybe\n", source: "p.yaml")
        } throws: { error in
            guard let problems = error as? PipelineProblems else { return false }
            return problems.description.contains("p.yaml:7:") && problems.description.contains("revocation must be soft, hard or off")
        }
    }
}
