/// TIFF (2) and PNG (10–15) predictors for Flate and LZW (ISO 32000-1 §7.4.4.4).
enum Predictor {
    static func decode(_ data: [UInt8], parms: PDFDictionary?, budget: DecodeBudget) throws(PDFError) -> [UInt8] {
        guard let parms, let predictor = parms["Predictor"]?.integerValue, predictor > 1 else { return data }
        let colors = parms["Colors"]?.integerValue ?? 1
        let bits = parms["BitsPerComponent"]?.integerValue ?? 8
        let columns = parms["Columns"]?.integerValue ?? 1
        guard (1...32).contains(colors), [1, 2, 4, 8, 16].contains(bits), (1...(1 << 24)).contains(columns) else {
            throw PDFError(.malformed, "predictor parameters out of range")
        }
        let bytesPerPixel = max(1, (colors * bits + 7) / 8)
        let rowLength = (colors * bits * columns + 7) / 8
        if predictor == 2 { return tiff(data, rowLength: rowLength, bytesPerPixel: bytesPerPixel, bits: bits) }
        guard predictor >= 10 else { throw PDFError(.unsupportedFilter, "predictor \(predictor)") }
        return try png(data, rowLength: rowLength, bytesPerPixel: bytesPerPixel, budget: budget)
    }

    private static func png(_ data: [UInt8], rowLength: Int, bytesPerPixel: Int, budget: DecodeBudget)
        throws(PDFError) -> [UInt8]
    {
        let rows = data.count / (rowLength + 1)
        try budget.check(rows * rowLength)
        var output = [UInt8](repeating: 0, count: rows * rowLength)
        output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { input in
                for row in 0..<rows {
                    let filter = input[row * (rowLength + 1)]
                    let inBase = row * (rowLength + 1) + 1
                    let outBase = row * rowLength
                    for column in 0..<rowLength {
                        let raw = input[inBase + column]
                        let left: UInt8 = column >= bytesPerPixel ? out[outBase + column - bytesPerPixel] : 0
                        let up: UInt8 = row > 0 ? out[outBase - rowLength + column] : 0
                        let upLeft: UInt8 =
                            (row > 0 && column >= bytesPerPixel) ? out[outBase - rowLength + column - bytesPerPixel] : 0
                        let value: UInt8
                        switch filter {
                        case 1: value = raw &+ left
                        case 2: value = raw &+ up
                        case 3: value = raw &+ UInt8((Int(left) + Int(up)) / 2)
                        case 4: value = raw &+ paeth(left, up, upLeft)
                        default: value = raw
                        }
                        out[outBase + column] = value
                    }
                }
            }
        }
        return output
    }

    @inline(__always) private static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    private static func tiff(_ data: [UInt8], rowLength: Int, bytesPerPixel: Int, bits: Int) -> [UInt8] {
        guard bits == 8 else { return data }  // sub-byte and 16-bit TIFF prediction is not needed for stamping
        var output = data
        let rows = data.count / rowLength
        for row in 0..<rows {
            let base = row * rowLength
            for column in bytesPerPixel..<max(bytesPerPixel, rowLength) {
                output[base + column] = output[base + column] &+ output[base + column - bytesPerPixel]
            }
        }
        return output
    }
}
