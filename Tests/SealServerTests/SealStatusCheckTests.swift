import Foundation
import SealReport
import SealStatus
import Testing

/// The `sealStatus` check's decision from a verified status document and the signing time.
@Suite struct SealStatusCheckTests {
    static let day: TimeInterval = 86_400
    static let registered = Date(timeIntervalSince1970: 1_780_000_000)

    static func document(
        _ state: SealStatusDocument.State, changes: [(SealStatusDocument.State, TimeInterval)] = []
    ) -> SealStatusDocument {
        let all = [SealStatusDocument.StateChange(state: .active, at: registered)]
            + changes.map { SealStatusDocument.StateChange(state: $0.0, at: registered + $0.1) }
        return SealStatusDocument(
            esID: "ES-1", sealName: "测试章", sealType: "organisation", owner: "某某局", ownerCreditCode: nil, state: state,
            validFrom: registered - day, validTo: registered + 365 * day, stateChangedAt: all.last!.at,
            stateChanges: all, issuer: "issuer", sealSHA256: String(repeating: "0", count: 64))
    }

    @Test func revokedBeforeTheSigningTimeFailsAfterItPassesNamingTheState() {
        let revoked = Self.document(.revoked, changes: [(.revoked, 10 * Self.day)])
        let before = SealStatusCheck.evaluate(revoked, signingTime: Self.registered + 11 * Self.day, service: "a")
        #expect(before.status == .failed)
        #expect(before.subIndication == .revoked)
        #expect(before.reason?.contains("revoked") == true)
        let after = SealStatusCheck.evaluate(revoked, signingTime: Self.registered + 9 * Self.day, service: "a")
        #expect(after.status == .passed)
        #expect(after.reason?.contains("now revoked") == true, "\(after.reason ?? "")")
        #expect(after.reason?.contains("after the signing time") == true)
    }

    @Test func aSuspensionCountsOnlyWhileItLasted() {
        let resumed = Self.document(.active, changes: [(.suspended, 5 * Self.day), (.active, 8 * Self.day)])
        #expect(SealStatusCheck.evaluate(resumed, signingTime: Self.registered + 6 * Self.day, service: "a").status == .failed)
        #expect(SealStatusCheck.evaluate(resumed, signingTime: Self.registered + 9 * Self.day, service: "a").status == .passed)
        #expect(SealStatusCheck.evaluate(resumed, signingTime: Self.registered + 4 * Self.day, service: "a").status == .passed)
        let suspended = Self.document(.suspended, changes: [(.suspended, 5 * Self.day)])
        let later = SealStatusCheck.evaluate(suspended, signingTime: Self.registered + 1 * Self.day, service: "a")
        #expect(later.status == .passed && later.reason?.contains("suspended") == true)
    }

    @Test func signedOutsideTheValidityFailsAndNoSigningTimeIsIndeterminate() {
        let active = Self.document(.active)
        let outside = SealStatusCheck.evaluate(active, signingTime: Self.registered + 400 * Self.day, service: "a")
        #expect(outside.status == .failed && outside.subIndication == .sigConstraintsFailure)
        #expect(SealStatusCheck.evaluate(active, signingTime: nil, service: "a").status == .passed)
        let cancelled = Self.document(.cancelled, changes: [(.cancelled, Self.day)])
        let unknownTime = SealStatusCheck.evaluate(cancelled, signingTime: nil, service: "a")
        #expect(unknownTime.status == .indeterminate && unknownTime.subIndication == .noPOE)
    }

    @Test func noAnswerIsIndeterminateWithTheReasonNeverAPass() {
        let unreachable = SealStatusCheck.evaluate(
            .unavailable(StatusError(.unreachable, "status service x is unreachable (connection refused)")),
            esID: "ES-1", signingTime: Self.registered)
        #expect(unreachable.status == .indeterminate)
        #expect(unreachable.subIndication == .tryLater)
        #expect(unreachable.reason?.contains("unreachable") == true)
        let report = VerificationReport(
            format: "pdf",
            signatures: [
                SignatureReport(id: "s1", format: "pdf", sealID: "ES-1", signingTime: Self.registered, checks: [.passed("digest", .integrity)]),
                SignatureReport(id: "s2", format: "pdf", checks: [.passed("digest", .integrity)]),
            ])
        var asked: [String] = []
        let checked = SealStatusCheck.apply(to: report) { esID in
            asked.append(esID)
            return .unavailable(StatusError(.unreachable, "down"))
        }
        #expect(asked == ["ES-1"])
        #expect(checked.signatures[0].checks.last?.name == "sealStatus")
        #expect(checked.signatures[0].verdict.indication == .indeterminate)
        #expect(checked.signatures[1].checks.last?.status == .skipped)
        #expect(checked.indication == .indeterminate)
    }
}
