/// The size and colour layout of a JPEG, read from its start-of-frame segment; the data is passed through.
struct JPEGFrameInfo {
    var width: Int
    var height: Int
    var components: Int
    var bitsPerComponent: Int
    /// An Adobe APP14 segment marks CMYK data as stored inverted.
    var adobe: Bool

    static func read(_ bytes: [UInt8]) throws -> JPEGFrameInfo {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
            throw SealImageError(.unknownFormat, "not a JPEG file")
        }
        var offset = 2
        var adobe = false
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { throw SealImageError(.badChunk, "JPEG segment marker expected") }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }  // fill byte
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { offset += 2; continue }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else {
                throw SealImageError(.truncated, "JPEG segment longer than the file")
            }
            let body = offset + 4
            if marker == 0xEE, length >= 7, Array(bytes[body..<body + 5]) == Array("Adobe".utf8) { adobe = true }
            switch marker {
            case 0xC0, 0xC1, 0xC2:
                guard length >= 8 else { throw SealImageError(.badHeader, "JPEG frame header too short") }
                let info = JPEGFrameInfo(
                    width: Int(bytes[body + 3]) << 8 | Int(bytes[body + 4]),
                    height: Int(bytes[body + 1]) << 8 | Int(bytes[body + 2]),
                    components: Int(bytes[body + 5]), bitsPerComponent: Int(bytes[body]), adobe: adobe)
                guard info.width > 0, info.height > 0, [1, 3, 4].contains(info.components), info.bitsPerComponent == 8
                else {
                    throw SealImageError(.badHeader, "JPEG frame \(info.width)x\(info.height), \(info.components) components is not usable")
                }
                return info
            case 0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:
                throw SealImageError(.unsupported, "lossless, hierarchical or arithmetic-coded JPEG is not supported by PDF readers")
            case 0xD9, 0xDA:
                throw SealImageError(.badChunk, "JPEG has no frame header before its scan")
            default:
                offset += 2 + length
            }
        }
        throw SealImageError(.truncated, "JPEG ends before its frame header")
    }

    func sealImage(_ bytes: [UInt8]) -> SealImage {
        let space: SealImage.ColorSpace = components == 1 ? .deviceGray : (components == 3 ? .deviceRGB : .deviceCMYK)
        return SealImage(
            widthPixels: width, heightPixels: height, colorSpace: space, bitsPerComponent: 8, encoding: .dct,
            data: bytes, invertedCMYK: components == 4 && adobe)
    }
}
