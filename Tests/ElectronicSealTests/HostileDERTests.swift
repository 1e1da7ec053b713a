import ElectronicSeal
import Foundation
import Testing

/// Hostile input must give a typed ``ElectronicSealError``, never a crash or another error type.
@Suite struct HostileDERTests {
    private func expectTypedFailure(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SESeal(bytes: bytes)
            Issue.record("a hostile seal parsed", sourceLocation: sourceLocation)
        } catch is ElectronicSealError {
        } catch {
            Issue.record("untyped error \(type(of: error))", sourceLocation: sourceLocation)
        }
        do {
            _ = try SESSignature(bytes: bytes)
            Issue.record("a hostile signature parsed", sourceLocation: sourceLocation)
        } catch is ElectronicSealError {
        } catch {
            Issue.record("untyped error \(type(of: error))", sourceLocation: sourceLocation)
        }
    }

    @Test func sealTruncatedAtEveryOffsetFails() throws {
        let bytes = try SealFixtures.bytes("ofdrw/UserV4.esl")
        for length in 0..<bytes.count {
            expectTypedFailure(Array(bytes.prefix(length)))
        }
    }

    @Test func signatureTruncatedAtEveryOffsetFails() throws {
        let bytes = try SealFixtures.bytes("ofdrw/gen_v1_seal/Sign_0/SignedValue.dat")
        // Every offset in the structural head and tail; the middle of the picture is sampled.
        let offsets = Array(0..<2048) + Array(stride(from: 2048, to: bytes.count - 2048, by: 97))
            + Array((bytes.count - 2048)..<bytes.count)
        for length in offsets {
            do {
                _ = try SESSignature(bytes: Array(bytes.prefix(length)))
                Issue.record("truncated signature at \(length) parsed")
            } catch let error as ElectronicSealError {
                #expect(error.code == .malformedEncoding || error.code == .unexpectedStructure)
            }
        }
    }

    @Test func hugeLengthsFail() {
        expectTypedFailure([0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x01, 0x01])
        expectTypedFailure([0x30, 0x88, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00])
        expectTypedFailure([0x30, 0x89] + Array(repeating: 0xFF, count: 9))
        expectTypedFailure([0x30, 0x06, 0x04, 0x84, 0x7F, 0xFF, 0xFF, 0xFF])
        // An INTEGER wider than 64 bits where the header version stands.
        expectTypedFailure(
            [0x30, 0x0F, 0x30, 0x0D, 0x30, 0x0B, 0x16, 0x02, 0x45, 0x53, 0x02, 0x09]
                + Array(repeating: 0x7F, count: 9))
    }

    @Test func deepNestingFails() {
        for depth in [60, 500, 5000] {
            var bytes: [UInt8] = []
            for _ in 0..<depth { bytes += [0x30, 0x80] }
            bytes += Array(repeating: 0, count: depth * 2)
            expectTypedFailure(bytes)
        }
    }

    @Test func wrongTagsFail() throws {
        let bytes = try SealFixtures.bytes("ofdrw/UserV4.esl")
        // Replace the tag of each of the first structural elements with every other universal tag.
        for offset in [0, 4, 8, 10, 14, 17, 29, 63] where offset < bytes.count {
            for tag: UInt8 in [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0C, 0x13, 0x16, 0x17, 0x18, 0x31, 0xA0]
            where tag != bytes[offset] {
                var mutated = bytes
                mutated[offset] = tag
                do {
                    _ = try SESeal(bytes: mutated)
                } catch is ElectronicSealError {
                } catch {
                    Issue.record("untyped error at offset \(offset) tag \(tag)")
                }
            }
        }
    }

    @Test func randomBytesFail() {
        var generator = SplitMix64(seed: 0x5EA1)
        for round in 0..<2000 {
            let count = Int(generator.next() % 300)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if round % 2 == 0, !bytes.isEmpty { bytes[0] = 0x30 }  // look like a SEQUENCE half the time
            do {
                _ = try SESeal(bytes: bytes)
                _ = try SESSignature(bytes: bytes)
            } catch is ElectronicSealError {
            } catch {
                Issue.record("untyped error \(type(of: error))")
            }
        }
    }

    @Test func randomMutationsOfARealSealNeverCrash() throws {
        let original = try SealFixtures.bytes("ofdrw/SESV4SignDoc/Sign_0/SignedValue.dat")
        var generator = SplitMix64(seed: 42)
        for _ in 0..<1500 {
            var bytes = original
            for _ in 0..<(1 + generator.next() % 4) {
                // Bias mutations to the structural head (before the picture) and the tail.
                let head = Int(generator.next() % 700)
                let index = generator.next() % 3 == 0 ? bytes.count - 1 - Int(generator.next() % 1200) : head
                bytes[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                _ = try SESSignature(bytes: bytes)
            } catch is ElectronicSealError {
            } catch {
                Issue.record("untyped error \(type(of: error))")
            }
        }
    }
}
