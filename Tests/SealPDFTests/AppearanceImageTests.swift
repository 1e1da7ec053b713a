import Foundation
import Testing

@testable import SealPDF

/// Seal pictures: every PNG variant decodes to the pixels the generator wrote (see Fixtures/sign/images/make_pngs.py).
@Suite struct AppearanceImageTests {
    static func image(_ name: String) throws -> [UInt8] {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("sign/images").appendingPathComponent(name)
        return Array(try Data(contentsOf: url))
    }

    static func pattern(_ x: Int, _ y: Int) -> [UInt8] {
        [UInt8((19 * x + 7 * y) % 256), UInt8((3 * x + 29 * y) % 256), UInt8((x * y) % 256), UInt8((10 * (x + y)) % 256)]
    }

    @Test(arguments: ["rgba8.png", "rgba8-adam7.png"])
    func rgbaDecodesEveryPixelAndAlpha(_ name: String) throws {
        let decoded = try PNGDecoder.decode(Self.image(name))
        #expect(decoded.width == 13 && decoded.height == 7 && decoded.colorComponents == 3)
        let alpha = try #require(decoded.alpha)
        for y in 0..<7 {
            for x in 0..<13 {
                let p = y * 13 + x
                let expected = Self.pattern(x, y)
                #expect(Array(decoded.color[3 * p..<3 * p + 3]) == Array(expected[0..<3]), "pixel \(x),\(y)")
                #expect(alpha[p] == expected[3])
            }
        }
    }

    @Test func sixteenBitRGBIsReducedToEightBits() throws {
        let decoded = try PNGDecoder.decode(Self.image("rgb16.png"))
        #expect(decoded.alpha == nil)
        #expect(Array(decoded.color[3 * (3 * 13 + 5)..<3 * (3 * 13 + 5) + 3]) == Array(Self.pattern(5, 3)[0..<3]))
    }

    @Test func greyWithAlphaInterlacedSixteenBit() throws {
        let decoded = try PNGDecoder.decode(Self.image("graya16-adam7.png"))
        #expect(decoded.colorComponents == 1)
        for y in 0..<7 {
            for x in 0..<13 {
                #expect(decoded.color[y * 13 + x] == Self.pattern(x, y)[0])
                #expect(decoded.alpha?[y * 13 + x] == Self.pattern(x, y)[3])
            }
        }
    }

    @Test func lowBitDepthGreyAndTransparentKey() throws {
        let one = try PNGDecoder.decode(Self.image("gray1.png"))
        #expect(one.color[0] == 0 && one.color[1] == 255 && one.color[13] == 255)
        let four = try PNGDecoder.decode(Self.image("gray4-trns.png"))
        // value (x+y)%16 scaled by 17; value 5 is the transparent key.
        #expect(four.color[3 * 13 + 5] == UInt8(8 * 17))
        #expect(four.alpha?[5] == 0)  // x=5,y=0 → 5
        #expect(four.alpha?[6] == 255)
    }

    @Test func paletteWithPerIndexAlpha() throws {
        let decoded = try PNGDecoder.decode(Self.image("palette2-trns.png"))
        #expect(decoded.colorComponents == 3)
        for x in 0..<4 {
            let index = x % 4
            #expect(Array(decoded.color[3 * x..<3 * x + 3]) == [UInt8(index * 60), UInt8(255 - index * 60), UInt8(index * 10)])
            #expect(decoded.alpha?[x] == [0, 85, 170, 255][index])
        }
    }

    @Test func sealPictureBecomesRGBWithSoftMask() throws {
        let image = try SealImage(imageBytes: Self.image("seal-400.png"))
        #expect(image.widthPixels == 400 && image.heightPixels == 400)
        #expect(image.colorSpace == .deviceRGB && image.encoding == .flate)
        let mask = try #require(image.softMask)
        let alpha = try StampZlib.inflate(mask, expectedSize: 160_000, limit: 160_001)
        #expect(alpha.count == 160_000)
        #expect(alpha.contains(0) && alpha.contains(255))  // transparent background, opaque ink
    }

    @Test func jpegIsPassedThroughWithItsFrameSize() throws {
        let bytes = try Self.image("red.jpg")
        let image = try SealImage(imageBytes: bytes)
        #expect(image.encoding == .dct && image.data == bytes)
        #expect(image.widthPixels == 20 && image.heightPixels == 10 && image.colorSpace == .deviceRGB)
        let cmyk = try SealImage(imageBytes: Self.image("cmyk.jpg"))
        #expect(cmyk.colorSpace == .deviceCMYK && cmyk.invertedCMYK)
    }

    @Test func brokenPicturesFailWithTypedErrors() throws {
        var png = try Self.image("rgba8.png")
        png[20] ^= 0xFF  // inside IHDR: CRC mismatch
        #expect(throws: SealImageError(.badChunk, "")) { try SealImage(imageBytes: png) }
        let truncated = Array(try Self.image("rgba8.png").prefix(40))
        #expect(throws: SealImageError.self) { try SealImage(imageBytes: truncated) }
        #expect(throws: SealImageError(.unknownFormat, "")) { try SealImage(imageBytes: Array("GIF89a".utf8)) }
    }
}
