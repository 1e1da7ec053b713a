/// LZWDecode (variable code width 9–12 bits, clear 256, end 257, EarlyChange).
enum LZW {
    static func decode(_ data: [UInt8], earlyChange: Bool, budget: DecodeBudget) throws(PDFError) -> [UInt8] {
        // Table entries as (prefix index, last byte, length); strings are rebuilt backwards into the output.
        var prefix = [Int32](repeating: -1, count: 4096)
        var suffix = [UInt8](repeating: 0, count: 4096)
        var length = [Int32](repeating: 0, count: 4096)
        for code in 0..<256 {
            suffix[code] = UInt8(code)
            length[code] = 1
        }
        var next = 258
        var width = 9
        var previous = -1
        var bitBuffer: UInt32 = 0
        var bitCount = 0
        var output: [UInt8] = []
        output.reserveCapacity(data.count * 3)
        var index = 0

        func firstByte(of code: Int) -> UInt8 {
            var current = code
            while prefix[current] >= 0 { current = Int(prefix[current]) }
            return suffix[current]
        }
        func append(_ code: Int) {
            let count = Int(length[code])
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: count))
            var current = code
            var position = start + count - 1
            while current >= 0 && position >= start {
                output[position] = suffix[current]
                current = Int(prefix[current])
                position -= 1
            }
        }

        while true {
            while bitCount < width {
                guard index < data.count else { return output }
                bitBuffer = bitBuffer << 8 | UInt32(data[index])
                index += 1
                bitCount += 8
            }
            let code = Int((bitBuffer >> UInt32(bitCount - width)) & ((1 << UInt32(width)) - 1))
            bitCount -= width
            bitBuffer &= (1 << UInt32(bitCount)) &- 1
            if code == 256 {
                next = 258
                width = 9
                previous = -1
                continue
            }
            if code == 257 { return output }
            if previous < 0 {
                guard code < 256 else { throw PDFError(.decodeFailed, "LZW data starts with an undefined code") }
                append(code)
                previous = code
                continue
            }
            if code < next {
                append(code)
                if next < 4096 {
                    prefix[next] = Int32(previous)
                    suffix[next] = firstByte(of: code)
                    length[next] = length[previous] + 1
                    next += 1
                }
            } else if code == next && next < 4096 {
                prefix[next] = Int32(previous)
                suffix[next] = firstByte(of: previous)
                length[next] = length[previous] + 1
                next += 1
                append(code)
            } else {
                throw PDFError(.decodeFailed, "LZW code out of range")
            }
            previous = code
            try budget.check(output.count)
            let threshold = earlyChange ? next + 1 : next
            if threshold >= (1 << width) && width < 12 { width += 1 }
        }
    }
}
