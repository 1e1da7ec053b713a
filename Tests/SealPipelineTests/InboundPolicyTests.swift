import Foundation
import SealPipeline
import SealReport
import SealTestSupport
import Testing

/// The pipeline keys for documents as they arrive (`earlier_signatures`, `password_ref`) and the countersigning
/// judgement, without a database.
@Suite struct InboundPolicyTests {
    static let base = "name: inbound\nseal: s\nplacements:\n  - page: 1\n    x_mm: 10\n    y_mm: 10\n"

    @Test func earlierSignaturesAndPasswordRefAreReadAndDefaultToIntegrityAndNone() throws {
        let plain = try PipelineLoader.load(yaml: Self.base)
        #expect(plain.earlierSignatures == .integrity)
        #expect(plain.passwordRef == nil)
        let full = try PipelineLoader.load(yaml: Self.base + "earlier_signatures: full\npassword_ref: env:PDF_PW\n")
        #expect(full.earlierSignatures == .full)
        #expect(full.passwordRef == PasswordReference(source: .environment("PDF_PW")))
        let file = try PipelineLoader.load(yaml: Self.base + "earlier_signatures: ignore\npassword_ref: file:/run/secrets/pw\n")
        #expect(file.earlierSignatures == .ignore)
        #expect(file.passwordRef?.description == "file:/run/secrets/pw")
    }

    @Test func aPasswordWrittenInPlaceOfAReferenceIsRefusedWithoutEchoingIt() {
        #expect {
            _ = try PipelineLoader.load(yaml: Self.base + "password_ref: hunter2-secret\nearlier_signatures: some\n", source: "p.yaml")
        } throws: { error in
            guard let problems = error as? PipelineProblems else { return false }
            let text = problems.description
            return problems.problems.count == 2 && text.contains("password_ref must be env:NAME or file:PATH")
                && text.contains("earlier_signatures must be integrity, full or ignore") && !text.contains("hunter2")
        }
    }

    @Test func referencesResolveFromTheEnvironmentOrAFileAndSayWhatIsMissing() throws {
        let folder = try TestEnvironment.temporaryDirectory("password-ref")
        defer { try? FileManager.default.removeItem(at: folder) }
        let crlf = folder.appendingPathComponent("crlf.txt")
        try Data("印章密码\r\n".utf8).write(to: crlf)
        let bare = folder.appendingPathComponent("bare.txt")
        try Data("pw with spaces ".utf8).write(to: bare)
        #expect(try PasswordReference("file:\(crlf.path)")?.resolve() == "印章密码")
        #expect(try PasswordReference("file:\(bare.path)")?.resolve() == "pw with spaces ")
        #expect(try PasswordReference("env:PDF_PW")?.resolve(environment: ["PDF_PW": "userpw"]) == "userpw")
        #expect(PasswordReference("env:") == nil && PasswordReference("env:1X") == nil && PasswordReference("userpw") == nil)
        #expect(Self.failure(PasswordReference("env:PDF_PW")!)?.hasPrefix("variableNotSet: ") == true)
        #expect(Self.failure(PasswordReference("env:PDF_PW")!)?.contains("PDF_PW") == true)
        let missing = Self.failure(PasswordReference("file:\(folder.path)/missing")!)
        #expect(missing?.hasPrefix("fileUnreadable: ") == true, "\(missing ?? "resolved")")
        #expect(missing?.contains("missing") == true && missing?.contains("cannot be read") == true, "\(missing ?? "resolved")")
    }

    /// Why `reference` does not resolve with an empty environment (code: reason), or nil when it does.
    static func failure(_ reference: PasswordReference) -> String? {
        switch Result(catching: { () throws(PasswordReferenceError) -> String in try reference.resolve(environment: [:]) }) {
        case .success: nil
        case .failure(let error): "\(error.code): \(error.reason)"
        }
    }

    static func signature(_ id: String, integrity: Check, trust: Check) -> SignatureReport {
        SignatureReport(id: id, format: "pdf.pades", checks: [integrity, trust])
    }

    @Test func theNewSignatureIsJudgedFullyAndEarlierOnesPerPolicy() {
        let intact = Check.passed("digest", .integrity)
        let untrusted = Check.indeterminate("chain", .trust, .noCertificateChainFound, "not our anchors")
        let trusted = Check.passed("chain", .trust)
        let report = VerificationReport(format: "pdf", signatures: [
            Self.signature("bank", integrity: intact, trust: untrusted),
            Self.signature("ours", integrity: intact, trust: trusted),
        ])
        let added = DocumentVerification.addedSignatures(report, inputIDs: ["bank"], count: 1)
        #expect(added == [1])
        func problem(_ policy: EarlierSignaturesPolicy, _ report: VerificationReport, added: Set<Int> = [1]) -> String? {
            DocumentVerification.problem(report, added: added, expectedSignatures: 1, trustConfigured: true, earlier: policy)
        }
        #expect(problem(.integrity, report) == nil)
        #expect(problem(.ignore, report) == nil)
        #expect(problem(.full, report)?.contains("the earlier signature 'bank'") == true)
        // Our own signature untrusted: refused whatever the policy.
        let oursUntrusted = VerificationReport(format: "pdf", signatures: [
            Self.signature("bank", integrity: intact, trust: trusted),
            Self.signature("ours", integrity: intact, trust: untrusted),
        ])
        #expect(problem(.ignore, oursUntrusted)?.contains("the new signature 'ours'") == true)
        // An earlier signature our update broke: refused under integrity, accepted only under ignore.
        let broken = VerificationReport(format: "pdf", signatures: [
            Self.signature("bank", integrity: .failed("digest", .integrity, .hashFailure, "changed"), trust: untrusted),
            Self.signature("ours", integrity: intact, trust: trusted),
        ])
        #expect(problem(.integrity, broken)?.contains("the earlier signature 'bank'") == true && problem(.integrity, broken)?.contains("changed") == true)
        #expect(problem(.ignore, broken) == nil)
        // A failing document check (e.g. an illegal later revision) refuses in every case.
        var illegal = report
        illegal.append(.failed("laterRevision", .integrity, .formatFailure, "a page was replaced"))
        #expect(problem(.ignore, illegal)?.contains("a page was replaced") == true)
        // Ids that repeat: the last signatures are taken as the new ones.
        #expect(DocumentVerification.addedSignatures(report, inputIDs: ["bank", "ours"], count: 1) == [1])
    }

    @Test func aJobMayNameAPasswordReferenceButNeverAPassword() throws {
        let args = StampJobArguments(pipeline: "p", principal: "o", passwordRef: "file:/run/secrets/pw")
        #expect(args.json == #"{"password_ref":"file:/run/secrets/pw","pipeline":"p","principal":"o"}"#)
        #expect(try StampJobArguments(json: args.json) == args)
        #expect(StampJobArguments(pipeline: "p", principal: "o").json == #"{"pipeline":"p","principal":"o"}"#)
        let refused = Result { () throws(JobArgumentsError) -> StampJobArguments in
            try StampJobArguments(json: #"{"pipeline":"p","principal":"o","password_ref":"userpw"}"#)
        }
        guard case .failure(let error) = refused else {
            Issue.record("a password by value was accepted")
            return
        }
        #expect(error.code == .invalidArguments)
        #expect(error.reason.contains("password_ref") && !error.reason.contains("userpw"), "\(error.reason)")
    }
}
