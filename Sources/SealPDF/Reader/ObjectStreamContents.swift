/// A decoded object stream (`/Type /ObjStm`): the object numbers, their offsets and the data.
struct ObjectStreamContents: Sendable {
    var numbers: [Int]
    var offsets: [Int]
    var data: [UInt8]

    init(stream: PDFStream, limits: PDFLimits) throws(PDFError) {
        guard let count = stream.dictionary["N"]?.integerValue, count >= 0, count <= limits.maxObjectCount,
            let first = stream.dictionary["First"]?.integerValue, first >= 0
        else { throw PDFError(.malformed, "object stream /N or /First missing or invalid") }
        let data = try stream.decoded(limits: limits)
        guard first <= data.count else { throw PDFError(.malformed, "object stream /First beyond its data") }
        var parser = PDFParser(bytes: data, position: 0, maxDepth: limits.maxDepth)
        var numbers: [Int] = []
        var offsets: [Int] = []
        numbers.reserveCapacity(min(count, data.count / 4))
        offsets.reserveCapacity(min(count, data.count / 4))
        for _ in 0..<count {
            guard parser.position < first, let number = parser.readUnsignedInteger(),
                let offset = parser.readUnsignedInteger()
            else { break }
            guard offset <= data.count - first else { break }
            numbers.append(number)
            offsets.append(first + offset)
        }
        self.numbers = numbers
        self.offsets = offsets
        self.data = data
    }

    /// Parses the object at `index` (checking it is `number`; falls back to a search by number).
    /// - Returns: the object and how many bytes the parser walked (for the document's ``ParseBudget``).
    func object(number: Int, index: Int, maxDepth: Int) throws(PDFError) -> (PDFObject, Int) {
        var slot = index
        if slot < 0 || slot >= numbers.count || numbers[slot] != number {
            guard let found = numbers.firstIndex(of: number) else {
                throw PDFError(.objectNotFound, "object \(number) is not in its object stream")
            }
            slot = found
        }
        guard offsets[slot] < data.count else { throw PDFError(.malformed, "object stream offset beyond its data") }
        var parser = PDFParser(bytes: data, position: offsets[slot], maxDepth: maxDepth)
        let object = try parser.parseObject()
        return (object, parser.position - offsets[slot])
    }
}
