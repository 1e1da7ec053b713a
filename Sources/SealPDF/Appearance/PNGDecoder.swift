import SealCompression

/// Decodes PNG files (ISO/IEC 15948) into 8-bit colour samples and an optional 8-bit alpha channel.
///
/// Every colour type (grey, RGB, palette, grey+alpha, RGBA), bit depths 1/2/4/8/16, `tRNS` transparency and
/// Adam7 interlacing are supported; 16-bit samples are reduced to 8 bits. Chunk CRCs are checked.
enum PNGDecoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Largest picture accepted (pixels), so a hostile header cannot ask for gigabytes.
    static let maximumPixels = 64 * 1024 * 1024

    /// A decoded picture: `colorComponents` interleaved 8-bit samples per pixel and optional alpha.
    struct Decoded {
        var width: Int
        var height: Int
        var colorComponents: Int
        var color: [UInt8]
        var alpha: [UInt8]?

        func sealImage() -> SealImage {
            let opaque = alpha.map { $0.allSatisfy { $0 == 0xFF } } ?? true
            return SealImage(
                widthPixels: width, heightPixels: height,
                colorSpace: colorComponents == 1 ? .deviceGray : .deviceRGB, bitsPerComponent: 8,
                encoding: .flate, data: StampZlib.deflate(color),
                softMask: opaque ? nil : alpha.map { StampZlib.deflate($0) })
        }
    }

    private struct Header {
        var width: Int
        var height: Int
        var bitDepth: Int
        var colorType: Int
        var interlaced: Bool

        /// Samples per pixel in the file.
        var channels: Int {
            switch colorType {
            case 0, 3: 1
            case 4: 2
            case 2: 3
            default: 4
            }
        }
        var bitsPerPixel: Int { channels * bitDepth }
        /// Filter unit: bytes per complete pixel, at least 1.
        var filterStride: Int { max(1, bitsPerPixel / 8) }
        func rowBytes(_ pixels: Int) -> Int { (pixels * bitsPerPixel + 7) / 8 }
    }

    static func decode(_ bytes: [UInt8]) throws -> Decoded {
        guard bytes.starts(with: signature) else { throw SealImageError(.unknownFormat, "not a PNG file") }
        var offset = signature.count
        var header: Header?
        var palette: [UInt8] = []
        var transparency: [UInt8]?
        var compressed: [UInt8] = []
        var sawEnd = false
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw SealImageError(.truncated, "PNG chunk header cut off") }
            let length = Int(readUInt32(bytes, offset))
            guard length <= 0x7FFF_FFFF, offset + 12 + length <= bytes.count else {
                throw SealImageError(.truncated, "PNG chunk longer than the file")
            }
            let type = Array(bytes[offset + 4..<offset + 8])
            let dataRange = offset + 8..<offset + 8 + length
            let storedCRC = readUInt32(bytes, offset + 8 + length)
            let computed = Zlib.crc32(bytes[offset + 4..<offset + 8 + length])
            guard storedCRC == computed else {
                throw SealImageError(.badChunk, "PNG chunk \(String(decoding: type, as: UTF8.self)) has a bad CRC")
            }
            switch String(decoding: type, as: UTF8.self) {
            case "IHDR":
                guard length == 13, header == nil else { throw SealImageError(.badChunk, "IHDR must be 13 bytes, once") }
                header = try parseHeader(bytes, dataRange.lowerBound)
            case "PLTE":
                guard length % 3 == 0, length <= 768, length > 0 else { throw SealImageError(.badChunk, "bad PLTE size") }
                palette = Array(bytes[dataRange])
            case "tRNS":
                transparency = Array(bytes[dataRange])
            case "IDAT":
                compressed.append(contentsOf: bytes[dataRange])
            case "IEND":
                sawEnd = true
            default:
                // Ancillary chunks (bit 5 of the first byte set) are skipped; an unknown critical chunk is not.
                if type[0] & 0x20 == 0 {
                    throw SealImageError(.unsupported, "unknown critical PNG chunk \(String(decoding: type, as: UTF8.self))")
                }
            }
            offset = dataRange.upperBound + 4
            if sawEnd { break }
        }
        guard let header else { throw SealImageError(.badChunk, "PNG has no IHDR") }
        guard !compressed.isEmpty else { throw SealImageError(.badChunk, "PNG has no IDAT") }
        if header.colorType == 3 && palette.isEmpty { throw SealImageError(.badChunk, "palette PNG without PLTE") }

        let passes = header.interlaced ? adam7 : [(0, 0, 1, 1)]
        var expected = 0
        for (x0, y0, dx, dy) in passes {
            let w = (header.width - x0 + dx - 1) / dx
            let h = (header.height - y0 + dy - 1) / dy
            if w > 0 && h > 0 { expected += h * (1 + header.rowBytes(w)) }
        }
        let raw = try StampZlib.inflate(compressed, expectedSize: expected, limit: expected + 1)
        guard raw.count >= expected else { throw SealImageError(.badScanline, "PNG image data is too short") }

        var builder = PixelBuilder(header: header, palette: palette, transparency: transparency)
        var cursor = 0
        for (x0, y0, dx, dy) in passes {
            let w = (header.width - x0 + dx - 1) / dx
            let h = (header.height - y0 + dy - 1) / dy
            guard w > 0 && h > 0 else { continue }
            let rowLength = header.rowBytes(w)
            var previous = [UInt8](repeating: 0, count: rowLength)
            var current = [UInt8](repeating: 0, count: rowLength)
            for row in 0..<h {
                let filter = raw[cursor]
                for i in 0..<rowLength { current[i] = raw[cursor + 1 + i] }
                try unfilter(&current, previous: previous, filter: filter, stride: header.filterStride)
                builder.write(row: current, pixels: w, y: y0 + row * dy, x0: x0, dx: dx)
                swap(&previous, &current)
                cursor += 1 + rowLength
            }
        }
        return builder.result()
    }

    /// Adam7 passes: (x start, y start, x step, y step).
    private static let adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]

    private static func readUInt32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    private static func parseHeader(_ bytes: [UInt8], _ at: Int) throws -> Header {
        let width = Int(readUInt32(bytes, at))
        let height = Int(readUInt32(bytes, at + 4))
        let depth = Int(bytes[at + 8])
        let colorType = Int(bytes[at + 9])
        guard width > 0, height > 0, width * height <= maximumPixels else {
            throw SealImageError(.badHeader, "PNG size \(width)x\(height) is empty or too large")
        }
        let allowed: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let depths = allowed[colorType], depths.contains(depth) else {
            throw SealImageError(.badHeader, "PNG colour type \(colorType) with bit depth \(depth) is invalid")
        }
        guard bytes[at + 10] == 0, bytes[at + 11] == 0, bytes[at + 12] <= 1 else {
            throw SealImageError(.badHeader, "unknown PNG compression, filter or interlace method")
        }
        return Header(width: width, height: height, bitDepth: depth, colorType: colorType, interlaced: bytes[at + 12] == 1)
    }

    private static func unfilter(_ row: inout [UInt8], previous: [UInt8], filter: UInt8, stride: Int) throws {
        let count = row.count
        switch filter {
        case 0: break
        case 1:
            if count > stride { for i in stride..<count { row[i] = row[i] &+ row[i - stride] } }
        case 2:
            for i in 0..<count { row[i] = row[i] &+ previous[i] }
        case 3:
            for i in 0..<count {
                let left = i >= stride ? Int(row[i - stride]) : 0
                row[i] = row[i] &+ UInt8((left + Int(previous[i])) / 2)
            }
        case 4:
            for i in 0..<count {
                let a = i >= stride ? Int(row[i - stride]) : 0
                let b = Int(previous[i])
                let c = i >= stride ? Int(previous[i - stride]) : 0
                let p = a + b - c
                let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                let predictor = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                row[i] = row[i] &+ UInt8(predictor)
            }
        default:
            throw SealImageError(.badScanline, "unknown PNG filter type \(filter)")
        }
    }

    /// Turns unfiltered scanlines into 8-bit colour + alpha planes.
    private struct PixelBuilder {
        let header: Header
        let palette: [UInt8]
        let transparency: [UInt8]?
        let colorComponents: Int
        let hasAlpha: Bool
        var color: [UInt8]
        var alpha: [UInt8]

        init(header: Header, palette: [UInt8], transparency: [UInt8]?) {
            self.header = header
            self.palette = palette
            self.transparency = transparency
            colorComponents = (header.colorType == 0 || header.colorType == 4) ? 1 : 3
            hasAlpha = header.colorType == 4 || header.colorType == 6 || transparency != nil
            let pixels = header.width * header.height
            color = [UInt8](repeating: 0, count: pixels * colorComponents)
            alpha = hasAlpha ? [UInt8](repeating: 0xFF, count: pixels) : []
        }

        /// The raw sample `index` of a row at the file's bit depth (full 16-bit value for depth 16).
        private func sample(_ row: [UInt8], _ index: Int) -> Int {
            switch header.bitDepth {
            case 8: return Int(row[index])
            case 16: return Int(row[2 * index]) << 8 | Int(row[2 * index + 1])
            default:
                let bit = index * header.bitDepth
                let shift = 8 - header.bitDepth - bit % 8
                return Int(row[bit / 8] >> UInt8(shift)) & ((1 << header.bitDepth) - 1)
            }
        }

        private func to8(_ value: Int) -> UInt8 {
            switch header.bitDepth {
            case 16: UInt8(value >> 8)
            case 8: UInt8(value)
            default: UInt8(value * 255 / ((1 << header.bitDepth) - 1))
            }
        }

        mutating func write(row: [UInt8], pixels: Int, y: Int, x0: Int, dx: Int) {
            let channels = header.channels
            for p in 0..<pixels {
                let pixel = y * header.width + x0 + p * dx
                let base = p * channels
                switch header.colorType {
                case 0:
                    let g = sample(row, base)
                    color[pixel] = to8(g)
                    if let t = transparency, t.count >= 2, g == (Int(t[0]) << 8 | Int(t[1])) { alpha[pixel] = 0 }
                case 2:
                    let r = sample(row, base), g = sample(row, base + 1), b = sample(row, base + 2)
                    color[3 * pixel] = to8(r)
                    color[3 * pixel + 1] = to8(g)
                    color[3 * pixel + 2] = to8(b)
                    if let t = transparency, t.count >= 6,
                        r == (Int(t[0]) << 8 | Int(t[1])), g == (Int(t[2]) << 8 | Int(t[3])),
                        b == (Int(t[4]) << 8 | Int(t[5]))
                    {
                        alpha[pixel] = 0
                    }
                case 3:
                    let index = sample(row, base)
                    if 3 * index + 2 < palette.count {
                        color[3 * pixel] = palette[3 * index]
                        color[3 * pixel + 1] = palette[3 * index + 1]
                        color[3 * pixel + 2] = palette[3 * index + 2]
                    }
                    if let t = transparency, index < t.count { alpha[pixel] = t[index] }
                case 4:
                    color[pixel] = to8(sample(row, base))
                    alpha[pixel] = to8(sample(row, base + 1))
                default:
                    color[3 * pixel] = to8(sample(row, base))
                    color[3 * pixel + 1] = to8(sample(row, base + 1))
                    color[3 * pixel + 2] = to8(sample(row, base + 2))
                    alpha[pixel] = to8(sample(row, base + 3))
                }
            }
        }

        func result() -> Decoded {
            Decoded(
                width: header.width, height: header.height, colorComponents: colorComponents, color: color,
                alpha: hasAlpha ? alpha : nil)
        }
    }
}
