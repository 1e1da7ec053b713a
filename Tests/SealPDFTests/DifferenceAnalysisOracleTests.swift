import Foundation
import SealReport
import Testing

@testable import SealPDF

/// Our verdict on later revisions equals pyHanko's on pyHanko's own difference-analysis fixtures (its README in
/// Fixtures/pyhanko-diff lists what pyHanko asserts): every "allowed" update allowed, every "sneaky" one — an
/// update of an object the signed revision also reaches by another path — rejected.
@Suite struct DifferenceAnalysisOracleTests {
    static let allowed = [
        "form-update-override-appearance-stream.pdf", "form-update-override-appearance-stream-ap-indirect.pdf",
        "form-update-no-override-appearance-stream-ap-indirect.pdf", "form-update-original-ap-type-wrong.pdf",
        "extensions-direct.pdf", "extensions-indirect.pdf", "extensions-update-direct.pdf",
        "extensions-update-indirect.pdf", "certified-with-indirect-refs-in-dir.pdf",
        "minimal-signed-twice-both-created.pdf", "minimal-signed-twice-second-created.pdf",
        "minimal-two-fields-signed-twice.pdf", "minimal-signed-twice-no-sig-type.pdf",
    ]
    static let illegal = [
        "form-update-override-appearance-stream-ap-indirect-sneaky.pdf",
        "form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf",
        "extensions-indirect-not-all-paths.pdf",
    ]

    static func report(_ name: String) throws -> VerificationReport {
        let url = SignFixtures.fixtures.deletingLastPathComponent().appendingPathComponent("pyhanko-diff/\(name)")
        return PDFVerifier.verify(Array(try Data(contentsOf: url)))
    }

    @Test(arguments: allowed)
    func pyHankoAllowsAndSoDoWe(_ name: String) throws {
        let report = try Self.report(name)
        let first = try #require(report.signatures.first)
        let modifications = first.checks.first { $0.name == "modifications" }
        #expect(modifications?.status == .passed, "\(name): \(modifications?.reason ?? "no modifications check")")
        // Intact but signed by a PKI we were not given: indeterminate, never failed.
        #expect(report.indication == .indeterminate, "\(name): \(report.signatures.map(\.checks))")
        #expect(!first.checks.contains { $0.status == .failed }, "\(name): \(first.checks)")
    }

    /// ISO 32002: pyHanko signs the later signature of the `extensions-*` files with Ed25519 (CMS per RFC 8419); the signatures verify.
    @Test(arguments: allowed.filter { $0.hasPrefix("extensions-") } + illegal.filter { $0.hasPrefix("extensions-") })
    func ed25519SignaturesVerify(_ name: String) throws {
        let report = try Self.report(name)
        #expect(report.signatures.contains { $0.algorithm == "Ed25519" }, "\(name): \(report.signatures.map(\.algorithm))")
        for signature in report.signatures where signature.format != "pdf.timestamp" {
            #expect(signature.checks.first { $0.name == "signature" }?.status == .passed, "\(name): \(signature.checks)")
        }
        // A flipped signed byte fails the digest: Ed25519 signatures are really checked, not skipped.
        let url = SignFixtures.fixtures.deletingLastPathComponent().appendingPathComponent("pyhanko-diff/\(name)")
        var bytes = Array(try Data(contentsOf: url))
        bytes[120] ^= 0x01
        #expect(PDFVerifier.verify(bytes).indication == .failed)
    }

    @Test(arguments: illegal)
    func pyHankoRejectsAndSoDoWe(_ name: String) throws {
        let report = try Self.report(name)
        let modifications = report.signatures.first?.checks.first { $0.name == "modifications" }
        #expect(modifications?.status == .failed, "\(name): \(modifications?.reason ?? "no modifications check")")
        #expect(modifications?.reason?.contains("also") == true, "\(name): the reason names the other use")
        #expect(report.indication == .failed)
    }
}
