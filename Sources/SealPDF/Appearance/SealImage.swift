/// A seal picture ready to be written as a PDF image XObject (plus an optional soft mask for transparency).
///
/// Built once per seal and reused for every stamp: decoding and compressing happen here, not per document.
public struct SealImage: Sendable, Hashable {
    /// The PDF colour space of the colour samples.
    public enum ColorSpace: String, Sendable, Hashable {
        case deviceGray = "DeviceGray"
        case deviceRGB = "DeviceRGB"
        case deviceCMYK = "DeviceCMYK"

        var components: Int {
            switch self {
            case .deviceGray: 1
            case .deviceRGB: 3
            case .deviceCMYK: 4
            }
        }
    }

    /// How ``data`` is encoded in the PDF stream.
    public enum Encoding: String, Sendable, Hashable {
        /// zlib (`/FlateDecode`).
        case flate = "FlateDecode"
        /// JPEG baseline or progressive, passed through (`/DCTDecode`).
        case dct = "DCTDecode"
    }

    public var widthPixels: Int
    public var heightPixels: Int
    public var colorSpace: ColorSpace
    public var bitsPerComponent: Int
    public var encoding: Encoding
    /// The encoded colour samples (already compressed).
    public var data: [UInt8]
    /// Adobe JPEGs store CMYK inverted; the XObject then needs `/Decode [1 0 1 0 1 0 1 0]`.
    public var invertedCMYK: Bool
    /// Flate-compressed 8-bit alpha samples (`/SMask`), nil for an opaque picture.
    public var softMask: [UInt8]?

    public init(
        widthPixels: Int, heightPixels: Int, colorSpace: ColorSpace, bitsPerComponent: Int, encoding: Encoding,
        data: [UInt8], invertedCMYK: Bool = false, softMask: [UInt8]? = nil
    ) {
        self.widthPixels = widthPixels
        self.heightPixels = heightPixels
        self.colorSpace = colorSpace
        self.bitsPerComponent = bitsPerComponent
        self.encoding = encoding
        self.data = data
        self.invertedCMYK = invertedCMYK
        self.softMask = softMask
    }

    /// Decodes a PNG or JPEG (detected from its signature bytes).
    ///
    /// - Throws: ``SealImageError`` for anything else, or for a broken file.
    public init(imageBytes bytes: [UInt8]) throws {
        if bytes.starts(with: PNGDecoder.signature) {
            self = try PNGDecoder.decode(bytes).sealImage()
        } else if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF {
            self = try JPEGFrameInfo.read(bytes).sealImage(bytes)
        } else {
            throw SealImageError(.unknownFormat, "the image is neither PNG nor JPEG")
        }
    }

    /// Width / height of the picture, used to keep its ratio when only a width is given.
    public var aspectRatio: Double { Double(widthPixels) / Double(max(heightPixels, 1)) }
}

extension SealImage {
    /// The picture composited onto white, without a soft mask: for PDF/A-1, which forbids transparency.
    public func flattenedOnWhite() throws -> SealImage {
        guard let mask = softMask, encoding == .flate, bitsPerComponent == 8 else { return self }
        let pixels = widthPixels * heightPixels
        let components = colorSpace.components
        var color = try StampZlib.inflate(data, expectedSize: pixels * components, limit: pixels * components + 1)
        let alpha = try StampZlib.inflate(mask, expectedSize: pixels, limit: pixels + 1)
        guard color.count == pixels * components, alpha.count == pixels else {
            throw SealImageError(.decompression, "image data does not match its size")
        }
        for pixel in 0..<pixels {
            let a = Int(alpha[pixel])
            for component in 0..<components {
                let index = pixel * components + component
                color[index] = UInt8((Int(color[index]) * a + 255 * (255 - a) + 127) / 255)
            }
        }
        var flat = self
        flat.data = StampZlib.deflate(color)
        flat.softMask = nil
        return flat
    }
}
