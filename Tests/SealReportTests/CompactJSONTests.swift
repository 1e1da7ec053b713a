import Foundation
import SealReport
import Testing

/// The compact report JSON a job stores is written by hand (``VerificationReport/compactJSON()``); it must stay the
/// bytes Foundation's `JSONEncoder` writes for the same report with sorted keys (the report is a public contract).
@Suite struct CompactJSONTests {
    private static func foundationJSON(_ report: VerificationReport) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return [UInt8](try encoder.encode(report))
    }

    private static let awkward = "quote \" backslash \\ slash / tab \t newline \n cr \r bell \u{07} nul \u{00} del \u{7F} "
        + "印章 é 🙂 \u{1F}"

    private static var reports: [VerificationReport] {
        let full = SignatureReport(
            id: "Signature1", format: "pdf.pades", algorithm: "RSA-SHA256", signer: "CN=测试/O=\"Org\"",
            signerSerial: "0a1b", sealName: "seal/1", sealID: "es-1",
            signingTime: Date(timeIntervalSince1970: 1_796_000_123.987), timestamped: true,
            checks: [
                .passed("digest", .integrity),
                .failed("chain", .trust, .noCertificateChainFound, awkward),
                .warning("quirk", .integrity, "a reason"),
                .skipped("revocation", .trust, "no OCSP"),
            ])
        var withQuirks = SignatureReport(id: "S2", format: "ofd.seal", checks: [.passed("x", .integrity, "ok")])
        withQuirks.quirks = ["CheckMethod written as a name", awkward]
        let bare = SignatureReport(id: awkward, format: "pdf.ses", checks: [])
        return [
            VerificationReport(format: "pdf", signatures: [], verifiedAt: Date(timeIntervalSince1970: 0)),
            VerificationReport(
                format: "pdf", documentSHA256: String(repeating: "ab", count: 32), signatures: [full],
                documentChecks: [.passed("coverage", .integrity)], verifiedAt: Date(timeIntervalSince1970: 1_796_000_000.5)),
            VerificationReport(
                format: "ofd", signatures: [withQuirks, bare, full],
                documentChecks: [.indeterminate("later", .integrity, .tryLater, awkward)],
                verifiedAt: Date(timeIntervalSince1970: 2_000_000_000.999_9)),
            // Before 1970 with a fraction, and before the Gregorian reform (a forged signing time can say anything).
            VerificationReport(format: "pdf", signatures: [], verifiedAt: Date(timeIntervalSince1970: -0.5)),
            VerificationReport(format: "pdf", signatures: [], verifiedAt: Date(timeIntervalSince1970: -15_000_000_000)),
            VerificationReport(format: "pdf", signatures: [], verifiedAt: Date(timeIntervalSince1970: -2_208_988_800.25)),
            VerificationReport(format: "pdf", signatures: [], verifiedAt: Date(timeIntervalSince1970: 253_402_300_799)),
        ]
    }

    @Test func compactJSONIsFoundationsBytes() throws {
        for report in Self.reports {
            let ours = report.compactJSON()
            let theirs = try Self.foundationJSON(report)
            #expect(ours == theirs, "\(String(decoding: ours, as: UTF8.self))\n\(String(decoding: theirs, as: UTF8.self))")
            // And it reads back as the same report (dates to the second, as ISO 8601 keeps them).
            let decoded = try VerificationReport.decode(json: Data(ours))
            #expect(decoded.signatures.map(\.id) == report.signatures.map(\.id))
            #expect(decoded.verdict == report.verdict && decoded.documentChecks == report.documentChecks)
        }
    }

    /// What a job stores (`jsonData(pretty: false)`) is Foundation's sorted encoding of the report, whichever
    /// writer produces it.
    @Test func jobsStoreFoundationsSortedForm() throws {
        for report in Self.reports {
            #expect([UInt8](try report.jsonData(pretty: false)) == (try Self.foundationJSON(report)))
        }
    }
}
