/// RunLengthDecode: a length byte 0–127 copies n+1 bytes, 129–255 repeats the next byte 257−n times, 128 ends.
enum RunLength {
    static func decode(_ data: [UInt8], budget: DecodeBudget) throws(PDFError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count * 2)
        var index = 0
        while index < data.count {
            let length = Int(data[index])
            index += 1
            if length == 128 { break }
            if length < 128 {
                let end = min(index + length + 1, data.count)
                output.append(contentsOf: data[index..<end])
                index = end
            } else {
                guard index < data.count else { break }
                output.append(contentsOf: repeatElement(data[index], count: 257 - length))
                index += 1
            }
            try budget.check(output.count)
        }
        return output
    }
}
