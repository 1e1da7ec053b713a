import Foundation
@testable import SealPDF
import Testing

@Suite struct FilterDecodeTests {
    private func decode(_ data: [UInt8], _ dictionary: PDFDictionary, limits: PDFLimits = .init()) throws -> [UInt8] {
        try PDFStream(dictionary: dictionary, rawData: data).decoded(limits: limits)
    }

    private let sample: [UInt8] = Array((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) })

    @Test func flateRoundTripAndAbbreviation() throws {
        let compressed = Flate.deflate(sample)
        #expect(try decode(compressed, ["Filter": .name("FlateDecode")]) == sample)
        #expect(try decode(compressed, ["Filter": .array([.name("Fl")])]) == sample)
    }

    @Test func truncatedAndBadChecksumFlateKeepsWhatDecodes() throws {
        let compressed = Flate.deflate(sample)
        var badChecksum = compressed
        badChecksum[badChecksum.count - 1] ^= 0xFF
        #expect(try decode(badChecksum, ["Filter": .name("FlateDecode")]) == sample)
        let truncated = Array(compressed.prefix(compressed.count / 2))
        let partial = try decode(truncated, ["Filter": .name("FlateDecode")])
        #expect(!partial.isEmpty && sample.starts(with: partial))
        // Raw deflate without the zlib header is accepted too.
        let raw = Array(compressed.dropFirst(2).dropLast(4))
        #expect(try decode(raw, ["Filter": .name("FlateDecode")]) == sample)
        #expect(throws: PDFError(.decodeFailed, "")) { try decode([0xFF, 0xFF, 0xFF, 0xFF], ["Filter": .name("FlateDecode")]) }
    }

    @Test func pngPredictorsDecode() throws {
        // Two rows of 3 columns with PNG Up (2) and Sub (1) filters.
        let rows: [UInt8] = [2, 1, 2, 3, 2, 1, 1, 1, 1, 5, 5, 5]
        let dictionary: PDFDictionary = [
            "Filter": .name("FlateDecode"), "DecodeParms": .dictionary(["Predictor": 12, "Columns": 3]),
        ]
        #expect(try decode(Flate.deflate(Array(rows.prefix(8))), dictionary) == [1, 2, 3, 2, 3, 4])
        let sub: PDFDictionary = ["Filter": .name("FlateDecode"), "DecodeParms": .dictionary(["Predictor": 11, "Columns": 3])]
        #expect(try decode(Flate.deflate([1, 5, 5, 5]), sub) == [5, 10, 15])
    }

    @Test func asciiFiltersDecode() throws {
        #expect(try decode(Array("48 65 6c6C6f>".utf8), ["Filter": .name("ASCIIHexDecode")]) == Array("Hello".utf8))
        #expect(try decode(Array("414>".utf8), ["Filter": .name("AHx")]) == [0x41, 0x40])
        #expect(try decode(Array("<~87cURD_*#0ARTCOEb0<5+T~>".utf8), ["Filter": .name("ASCII85Decode")])
            == Array("Hello, SealPress!".utf8))
        #expect(try decode(Array("z~>".utf8), ["Filter": .name("A85")]) == [0, 0, 0, 0])
        #expect(throws: PDFError(.decodeFailed, "")) { try decode(Array("zz{".utf8), ["Filter": .name("A85")]) }
    }

    @Test func lzwAndRunLengthDecode() throws {
        // The example from ISO 32000-1 §7.4.4.2.
        #expect(try decode([0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01], ["Filter": .name("LZWDecode")])
            == Array("-----A---B".utf8))
        #expect(try decode([2, 65, 66, 67, 253, 90, 128, 1, 2], ["Filter": .name("RunLengthDecode")])
            == Array("ABCZZZZ".utf8))
    }

    @Test func filterChainsApplyInOrder() throws {
        let hexOfFlate = Array(Flate.deflate(sample).map { String(format: "%02x", $0) }.joined().utf8) + [UInt8(ascii: ">")]
        #expect(try decode(hexOfFlate, ["Filter": .array([.name("ASCIIHexDecode"), .name("FlateDecode")])]) == sample)
    }

    @Test func imageCodecsAreLeftEncoded() throws {
        for name in ["DCTDecode", "JPXDecode", "CCITTFaxDecode", "JBIG2Decode"] {
            #expect(throws: PDFError(.unsupportedFilter, "")) { try decode([1, 2, 3], ["Filter": .name(PDFName(name))]) }
        }
    }

    @Test func zipBombHitsTheSizeAndRatioLimits() throws {
        let bomb = Flate.deflate([UInt8](repeating: 0, count: 64 << 20))  // 64 MiB of zeros, ~64 KB compressed
        #expect(bomb.count < 100_000)
        let small = PDFLimits(maxStreamDecodedBytes: 16 << 20)
        #expect(throws: PDFError(.limitExceeded, "")) { try decode(bomb, ["Filter": .name("FlateDecode")], limits: small) }
        let ratio = PDFLimits(maxDecompressionRatio: 100, ratioCheckThresholdBytes: 1 << 20)
        #expect(throws: PDFError(.limitExceeded, "")) { try decode(bomb, ["Filter": .name("FlateDecode")], limits: ratio) }
    }
}
