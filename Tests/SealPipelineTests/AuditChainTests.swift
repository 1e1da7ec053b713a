import Foundation
import SealPipeline
import Testing

/// FNV-1a folded to 32 bytes: the chain logic is independent of the hash; production passes SHA-256.
private let testHash: AuditChain.HashFunction = { bytes in
    var result: [UInt8] = []
    for lane in 0..<4 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 &+ UInt64(lane)
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        withUnsafeBytes(of: h.bigEndian) { result.append(contentsOf: $0) }
    }
    return result
}

@Suite struct AuditChainTests {
    let chain = AuditChain(hash: testHash)

    func makeRows(_ count: Int) -> [UsageRecord] {
        var rows: [UsageRecord] = []
        for i in 0..<count {
            let record = UsageRecord(
                sequence: 0, jobID: Int64(100 + i), principal: "licence-system", seal: "bureau", esID: "1101",
                certificateSerial: "0A1B", format: "pdf.pades", documentBefore: String(repeating: "a", count: 64),
                documentAfter: String(repeating: "b", count: 64), signedAt: Date(timeIntervalSince1970: 1_790_000_000 + Double(i)),
                timestampTokenHash: i.isMultiple(of: 2) ? nil : "cc", host: "worker-1", previousHash: "")
            rows.append(chain.append(record, after: rows.last))
        }
        return rows
    }

    @Test func anUntouchedChainIsIntact() {
        let outcome = chain.verify(makeRows(20))
        #expect(outcome.isIntact)
        #expect(outcome.checkedRows == 20)
    }

    @Test func anEditedRowIsNamed() {
        var rows = makeRows(20)
        rows[6].documentAfter = String(repeating: "c", count: 64)
        let outcome = chain.verify(rows)
        #expect(outcome.firstBadSequence == 7)
        #expect(outcome.reason?.contains("changed") == true)
    }

    @Test func aRewrittenRowBreaksTheNextLink() {
        var rows = makeRows(20)
        rows[6].principal = "intruder"
        rows[6].rowHash = chain.rowHash(for: rows[6])  // the forger recomputes this row's hash…
        let outcome = chain.verify(rows)
        #expect(outcome.firstBadSequence == 8)  // …but the next row still points at the old one
    }

    @Test func deletedAndInsertedRowsAreFound() {
        var rows = makeRows(10)
        rows.remove(at: 4)
        #expect(chain.verify(rows).firstBadSequence == 6)
        #expect(chain.verify(makeRows(10).reversed()).firstBadSequence == 10)
    }

    @Test func encodingSeparatesFields() {
        let a = UsageRecord(sequence: 1, jobID: nil, principal: "ab", seal: "c", esID: "", certificateSerial: "", format: "",
                            documentBefore: "", documentAfter: "", signedAt: Date(timeIntervalSince1970: 0),
                            timestampTokenHash: nil, host: "", previousHash: "")
        var b = a
        b.principal = "a"
        b.seal = "bc"
        #expect(a.canonicalEncoding != b.canonicalEncoding)
    }
}
