import SealCompression
import Testing

@Suite struct ZlibTests {
    /// Compressible but not trivial: text-like runs with a counter woven in.
    static func sample(_ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var state: UInt32 = 0x1234_5678
        while bytes.count < count {
            state = state &* 1_664_525 &+ 1_013_904_223
            let run = Int(state >> 28) + 1
            bytes.append(contentsOf: repeatElement(UInt8(truncatingIfNeeded: state >> 16) | 0x20, count: min(run, count - bytes.count)))
        }
        return bytes
    }

    struct OverBudget: Error {}

    @Test(arguments: [ZlibFormat.zlib, .raw], [0, 1, 6, 9] as [Int32])
    func roundTrip(format: ZlibFormat, level: Int32) throws {
        let input = Self.sample(300_000)
        let compressed = Zlib.deflate(input, format: format, level: level)
        #expect(level == 0 || compressed.count < input.count / 2)
        #expect(try Zlib.inflate(compressed, format: format, outputLimit: input.count) == input)
    }

    @Test func emptyInputRoundTrips() throws {
        let compressed = Zlib.deflate([UInt8](), format: .zlib)
        #expect(try Zlib.inflate(compressed, format: .zlib, outputLimit: 0) == [])
    }

    @Test func truncatedInputKeepsWhatWasInflatedOrThrows() throws {
        let input = Self.sample(200_000)
        let compressed = Zlib.deflate(input, format: .zlib)
        let cut = Array(compressed.prefix(compressed.count / 2))
        let tolerant = Zlib.inflate(cut, format: .zlib, outputLimit: input.count) { (_: Int) throws(Never) in }
        #expect(tolerant.ending == .truncated)
        #expect(!tolerant.bytes.isEmpty && tolerant.bytes.count < input.count)
        #expect(Array(input.prefix(tolerant.bytes.count)) == tolerant.bytes)
        #expect(throws: ZlibError(.truncated, "")) { try Zlib.inflate(cut, format: .zlib, outputLimit: input.count) }
        #expect(throws: ZlibError(.truncated, "")) { try Zlib.inflate([UInt8](), format: .raw, outputLimit: 10) }
    }

    @Test func corruptDataAndBadChecksumAreErrors() throws {
        let input = Self.sample(50_000)
        var badChecksum = Zlib.deflate(input, format: .zlib)
        badChecksum[badChecksum.count - 1] ^= 0xFF  // Adler-32 trailer
        #expect(throws: ZlibError(.corrupt, "")) { try Zlib.inflate(badChecksum, format: .zlib, outputLimit: input.count) }
        // The tolerant form still hands back every inflated byte.
        let tolerant = Zlib.inflate(badChecksum, format: .zlib, outputLimit: input.count) { (_: Int) throws(Never) in }
        #expect(tolerant.ending == .corrupt && tolerant.bytes == input)
        #expect(throws: ZlibError(.corrupt, "")) {
            try Zlib.inflate([0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x11], format: .raw, outputLimit: 100)
        }
        #expect(throws: ZlibError(.corrupt, "")) { try Zlib.inflate(Array("not zlib".utf8), format: .zlib, outputLimit: 100) }
    }

    @Test func outputLimitStopsABomb() throws {
        let bomb = Zlib.deflate([UInt8](repeating: 0, count: 32 << 20), format: .raw)  // 32 MiB of zeros
        #expect(bomb.count < 64 << 10)
        #expect(throws: ZlibError(.outputLimitExceeded, "")) { try Zlib.inflate(bomb, format: .raw, outputLimit: 1 << 20) }
        let stopped = Zlib.inflate(bomb, format: .raw, outputLimit: 1 << 20) { (_: Int) throws(Never) in }
        #expect(stopped.ending == .limitReached)
        #expect(stopped.bytes.count == (1 << 20) + 1)  // one byte past the limit, never more
        // Exactly at the limit is fine.
        #expect(try Zlib.inflate(Zlib.deflate([UInt8](repeating: 7, count: 4096), format: .raw), format: .raw, outputLimit: 4096).count == 4096)
    }

    @Test func budgetCallbackCanStopInflating() throws {
        let bomb = Zlib.deflate([UInt8](repeating: 0, count: 8 << 20), format: .zlib)
        var calls = 0
        #expect(throws: OverBudget.self) {
            _ = try Zlib.inflate(bomb, format: .zlib, outputLimit: .max) { (produced: Int) throws(OverBudget) in
                calls += 1
                if produced > 1 << 20 { throw OverBudget() }
            }
        }
        #expect(calls >= 4)  // checked per chunk (256 KiB), not once at the end
    }

    @Test func largeInputRoundTripsThroughManyChunks() throws {
        let input = Self.sample(12 << 20)
        let compressed = Zlib.deflate(input, format: .raw, level: 1)
        var chunks = 0
        let result = Zlib.inflate(compressed, format: .raw, outputLimit: input.count, sizeHint: 1024) { (_: Int) throws(Never) in
            chunks += 1
        }
        #expect(result.ending == .streamEnd)
        #expect(result.bytes == input)
        #expect(chunks >= 40)  // 12 MiB in 256 KiB steps
    }

    @Test func crc32MatchesTheCheckValueAndContinues() {
        let digits = Array("123456789".utf8)
        #expect(Zlib.crc32(digits) == 0xCBF4_3926)
        #expect(Zlib.crc32(digits[4...], continuing: Zlib.crc32(digits[..<4])) == 0xCBF4_3926)
        #expect(Zlib.crc32([UInt8]()) == 0)
    }
}
