import Foundation
import SealPipeline
import Testing

@Suite struct PreflightTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    var seal: SealRecord {
        SealRecord(
            name: "bureau", esID: "11010000000001", ownerOrganisation: "某某市市场监督管理局", ownerCreditCode: "11110000000000000X",
            sealType: "法定名称章", validFrom: now.addingTimeInterval(-86_400), validTo: now.addingTimeInterval(86_400),
            state: .active, keyReference: KeyReference(kind: .pkcs12, path: "/keys/bureau.p12"))
    }
    var grant: Grant {
        Grant(seal: "bureau", principal: "licence-system", pipelines: ["business-licence"],
              validFrom: now.addingTimeInterval(-3600), validTo: now.addingTimeInterval(3600))
    }

    func refusal(_ seal: SealRecord?, grants: [Grant], principal: String = "licence-system",
                 pipeline: String = "business-licence", at time: Date? = nil) -> StampRefusal.Code? {
        switch Preflight.check(seal: seal, sealName: "bureau", grants: grants, principal: principal, pipeline: pipeline, at: time ?? now) {
        case .success: nil
        case .failure(let refusal): refusal.code
        }
    }

    @Test func activeValidGrantedSealPasses() {
        #expect(refusal(seal, grants: [grant]) == nil)
    }

    @Test func everyRefusalHasItsCode() {
        var suspended = seal
        suspended.state = .suspended
        var cancelled = seal
        cancelled.state = .cancelled
        #expect(refusal(nil, grants: [grant]) == .sealUnknown)
        #expect(refusal(suspended, grants: [grant]) == .sealSuspended)
        #expect(refusal(cancelled, grants: [grant]) == .sealCancelled)
        #expect(refusal(seal, grants: [grant], at: now.addingTimeInterval(2 * 86_400)) == .sealExpired)
        #expect(refusal(seal, grants: [grant], at: now.addingTimeInterval(-2 * 86_400)) == .sealNotYetValid)
        #expect(refusal(seal, grants: []) == .notAuthorised)
        #expect(refusal(seal, grants: [grant], principal: "someone-else") == .notAuthorised)
        #expect(refusal(seal, grants: [grant], pipeline: "customs-declaration") == .notAuthorised)
        #expect(refusal(seal, grants: [grant], at: now.addingTimeInterval(7200)) == .notAuthorised)
        var revoked = grant
        revoked.revokedAt = now.addingTimeInterval(-1)
        #expect(refusal(seal, grants: [revoked]) == .notAuthorised)
        var everyPipeline = grant
        everyPipeline.pipelines = []
        #expect(refusal(seal, grants: [everyPipeline], pipeline: "customs-declaration") == nil)
    }

    @Test func keyReferencesRoundTripAndRejectNonsense() {
        let file = KeyReference("file:/keys/a.key?cert=/keys/a.pem&password-env=SEAL_PW")
        #expect(file == KeyReference(kind: .file, path: "/keys/a.key", certificatePath: "/keys/a.pem", passwordEnvironment: "SEAL_PW"))
        #expect(file.map { KeyReference($0.description) } == file)
        #expect(KeyReference("pkcs12:/keys/a.p12")?.kind == .pkcs12)
        #expect(KeyReference("file:/keys/a.key") == nil)  // a key file needs its certificate
        #expect(KeyReference("hsm:slot1") == nil)
        #expect(KeyReference("pkcs12:/a.p12?password=secret") == nil)  // passwords are never part of a reference
    }
}
