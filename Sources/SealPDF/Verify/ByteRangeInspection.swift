import SealCrypto
/// The sanity checks on a signature's /ByteRange, made on the raw file bytes (ISO 32000-2 §12.8.1).
///
/// A well-formed range is `[0 a b c]` with `a < b`, `b + c ≤ file size`, and the gap `a..<b` holding exactly
/// the `/Contents` hexadecimal string `<…>` (so nothing but the signature value escapes the digest). Anything
/// else is how signature-wrapping and "universal forgery" attacks start, so it is reported, never repaired.
struct ByteRangeInspection: Equatable {
    /// The two signed ranges as (offset, length).
    var ranges: [(offset: Int, length: Int)]
    /// Where the `/Contents` hex string sits (the gap, including `<` and `>`).
    var gap: Range<Int>
    /// The decoded signature bytes from the gap, trailing zero padding included.
    var contents: [UInt8]
    /// The end of the signed data: `b + c`.
    var signedEnd: Int

    static func == (lhs: ByteRangeInspection, rhs: ByteRangeInspection) -> Bool {
        lhs.gap == rhs.gap && lhs.signedEnd == rhs.signedEnd && lhs.contents == rhs.contents
            && lhs.ranges.map(\.offset) == rhs.ranges.map(\.offset) && lhs.ranges.map(\.length) == rhs.ranges.map(\.length)
    }

    /// A problem found in a /ByteRange.
    struct Problem: Error, Equatable {
        var reason: String
    }

    /// Checks `byteRange` against the file and returns the ranges and the raw /Contents, or the first problem.
    ///
    /// - Parameters:
    ///   - byteRange: the array's numbers as read.
    ///   - contentsValue: the `/Contents` string bytes the parser read from the signature dictionary, if any;
    ///     the gap must decode to exactly these bytes (a different string there means the dictionary that was
    ///     parsed is not the one the ranges were cut around).
    static func inspect(_ byteRange: [Int], contentsValue: [UInt8]?, in file: [UInt8]) -> Result<ByteRangeInspection, Problem> {
        guard byteRange.count == 4 else {
            return .failure(Problem(reason: "/ByteRange has \(byteRange.count) numbers; exactly 4 (two ranges) are allowed"))
        }
        let (a0, a1, b0, b1) = (byteRange[0], byteRange[1], byteRange[2], byteRange[3])
        guard a0 == 0 else { return .failure(Problem(reason: "/ByteRange does not start at byte 0")) }
        guard a1 > 0, b1 >= 0, b0 > a1 else {
            return .failure(Problem(reason: "/ByteRange ranges are empty, negative or overlap"))
        }
        guard b0 <= file.count, b1 <= file.count - b0 else {
            return .failure(Problem(reason: "/ByteRange reaches past the end of the file"))
        }
        let gap = a1..<b0
        guard file[gap.lowerBound] == UInt8(ascii: "<"), file[gap.upperBound - 1] == UInt8(ascii: ">") else {
            return .failure(Problem(reason: "the unsigned gap is not exactly the /Contents hex string"))
        }
        var contents: [UInt8] = []
        contents.reserveCapacity((gap.count - 2) / 2)
        var high: UInt8?
        for index in (gap.lowerBound + 1)..<(gap.upperBound - 1) {
            let byte = file[index]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default:
                return .failure(Problem(reason: "the unsigned gap holds bytes other than hexadecimal digits"))
            }
            if let h = high {
                contents.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        if let h = high { contents.append(h << 4) }
        if let contentsValue, contentsValue != contents {
            return .failure(Problem(reason: "the gap's hex string is not the signature dictionary's /Contents"))
        }
        return .success(
            ByteRangeInspection(
                ranges: [(a0, a1), (b0, b1)], gap: gap, contents: contents, signedEnd: b0 + b1))
    }

    /// The signature value without the zero padding after it: the first BER/DER element (definite or
    /// indefinite length), or the bytes up to the last non-zero one when no whole element is there.
    var signatureBytes: [UInt8] {
        if let length = EncodedLength.ofFirstElement(contents) { return Array(contents[0..<length]) }
        var end = contents.count
        while end > 0 && contents[end - 1] == 0 { end -= 1 }
        return Array(contents[0..<end])
    }
}
