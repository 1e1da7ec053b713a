/// Reads classic cross-reference tables and cross-reference streams.
struct XRefReader {
    let bytes: [UInt8]
    let limits: PDFLimits

    /// Reads the section at `offset`, tolerating a `startxref` that is a few bytes off.
    /// - Returns: the section; its `offset` is where it really starts.
    func readSection(at offset: Int) throws(PDFError) -> XRefSection {
        guard offset >= 0, offset < bytes.count else {
            throw PDFError(.xrefBroken, "startxref/Prev offset outside the file", offset: offset)
        }
        if let section = try? readExactly(at: offset) { return section }
        // Off by a few bytes (e.g. a counted or missing EOL): look for `xref` or `N G obj` nearby.
        for delta in [-1, 1, -2, 2, -3, 3, -4, 4] + Array(5...32) + Array((-32)...(-5)).reversed() {
            let candidate = offset + delta
            guard candidate >= 0, candidate < bytes.count else { continue }
            let byte = bytes[candidate]
            guard byte == UInt8(ascii: "x") || ByteClass.isDigit(byte) else { continue }
            if candidate > 0, ByteClass.isRegular(bytes[candidate - 1]) { continue }
            if let section = try? readExactly(at: candidate) {
                return section  // its `offset` is where the section really is (a new /Prev points there)
            }
        }
        return try readExactly(at: offset)
    }

    private func readExactly(at declared: Int) throws(PDFError) -> XRefSection {
        var parser = PDFParser(bytes: bytes, position: declared, maxDepth: limits.maxDepth)
        // Leading whitespace is tolerated; the section's offset is where its first token really is.
        parser.skipWhitespace()
        let offset = parser.position
        if parser.consumeKeyword("xref") {
            return try readTable(parser: &parser, offset: offset)
        }
        return try readStream(at: offset)
    }

    // MARK: - Classic table

    private func readTable(parser: inout PDFParser, offset: Int) throws(PDFError) -> XRefSection {
        var entries: [Int: PDFXRefEntry] = [:]
        var firstSubsection = true
        while true {
            parser.skipWhitespace()
            let save = parser.position
            if parser.consumeKeyword("trailer") { break }
            parser.position = save
            guard var number = parser.readUnsignedInteger(), let count = parser.readUnsignedInteger() else {
                throw PDFError(.xrefBroken, "xref subsection header expected", offset: parser.position)
            }
            guard count <= limits.maxObjectCount, number <= limits.maxObjectCount else {
                throw PDFError(.limitExceeded, "xref subsection larger than the object limit", offset: save)
            }
            var read = 0
            // Entries are read as tokens, so `\r\n`, ` \n` and `\n` line ends and short counts all work.
            while true {
                let entryStart = parser.position
                guard let field1 = parser.readUnsignedInteger() else { break }
                guard let field2 = parser.readUnsignedInteger() else {
                    parser.position = entryStart
                    break
                }
                parser.skipWhitespace()
                let type = parser.peek()
                guard type == UInt8(ascii: "n") || type == UInt8(ascii: "f") else {
                    // Two numbers not followed by n/f: the next subsection header (the count was too large).
                    parser.position = entryStart
                    break
                }
                parser.position += 1
                if firstSubsection && read == 0 && number == 1 && field1 == 0 && field2 == 65535
                    && type == UInt8(ascii: "f")
                {
                    number = 0  // a well-known writer bug: the first subsection says "1 N" but starts at object 0
                }
                let objectNumber = number + read
                if entries[objectNumber] == nil {
                    if type == UInt8(ascii: "n") {
                        entries[objectNumber] = field1 == 0 && objectNumber != 0
                            ? .free(nextGeneration: field2) : .offset(field1, generation: field2)
                    } else {
                        entries[objectNumber] = .free(nextGeneration: field2)
                    }
                }
                read += 1
                if entries.count > limits.maxObjectCount {
                    throw PDFError(.limitExceeded, "xref lists more objects than allowed", offset: entryStart)
                }
                if read >= count {
                    // Stop at the declared count unless the next line is another entry (count too small).
                    let look = parser.position
                    var probe = parser
                    if probe.readUnsignedInteger() != nil, probe.readUnsignedInteger() != nil {
                        probe.skipWhitespace()
                        if probe.peek() == UInt8(ascii: "n") || probe.peek() == UInt8(ascii: "f") { continue }
                    }
                    parser.position = look
                    break
                }
            }
            firstSubsection = false
        }
        let trailerObject = try parser.parseObject()
        guard case .dictionary(let trailer) = trailerObject else {
            throw PDFError(.xrefBroken, "trailer is not a dictionary", offset: parser.position)
        }
        entries[0] = nil
        let kind: PDFRevision.Kind = trailer[.xrefStm]?.integerValue != nil ? .hybrid : .table
        return XRefSection(offset: offset, kind: kind, trailer: trailer, entries: entries)
    }

    // MARK: - Stream

    /// Reads a cross-reference stream object at `offset`.
    func readStream(at offset: Int) throws(PDFError) -> XRefSection {
        var parser = PDFParser(bytes: bytes, position: offset, maxDepth: limits.maxDepth)
        let (streamRef, object) = try parser.parseIndirectObject(resolveLength: { _ in nil })
        guard case .stream(let stream) = object, stream.dictionary.type == "XRef" else {
            throw PDFError(.xrefBroken, "no xref table or xref stream at offset", offset: offset)
        }
        let dictionary = stream.dictionary
        guard let widths = dictionary["W"]?.arrayValue?.compactMap(\.integerValue), widths.count == 3,
            widths.allSatisfy({ (0...8).contains($0) })
        else { throw PDFError(.xrefBroken, "xref stream /W is invalid", offset: offset) }
        guard let size = dictionary[.size]?.integerValue, size >= 0, size <= limits.maxObjectCount else {
            throw PDFError(.xrefBroken, "xref stream /Size is missing or too large", offset: offset)
        }
        var ranges: [(Int, Int)] = []
        if let index = dictionary["Index"]?.arrayValue {
            let numbers = index.compactMap(\.integerValue)
            guard numbers.count == index.count, numbers.count % 2 == 0 else {
                throw PDFError(.xrefBroken, "xref stream /Index is invalid", offset: offset)
            }
            for pair in stride(from: 0, to: numbers.count, by: 2) {
                guard numbers[pair] >= 0, numbers[pair + 1] >= 0, numbers[pair + 1] <= limits.maxObjectCount,
                    numbers[pair] <= limits.maxObjectCount
                else { throw PDFError(.limitExceeded, "xref stream /Index out of range", offset: offset) }
                ranges.append((numbers[pair], numbers[pair + 1]))
            }
        } else {
            ranges = [(0, size)]
        }
        let data = try stream.decoded(limits: limits)
        let rowLength = widths[0] + widths[1] + widths[2]
        guard rowLength > 0 else { throw PDFError(.xrefBroken, "xref stream /W is all zero", offset: offset) }
        var entries: [Int: PDFXRefEntry] = [:]
        var row = 0
        let rows = data.count / rowLength
        for (start, count) in ranges {
            for index in 0..<count {
                guard row < rows else { break }
                var fields = [0, 0, 0]
                var position = row * rowLength
                for field in 0..<3 {
                    var value = 0
                    for _ in 0..<widths[field] {
                        value = value << 8 | Int(data[position])
                        position += 1
                    }
                    fields[field] = value
                }
                row += 1
                let type = widths[0] == 0 ? 1 : fields[0]
                let number = start + index
                guard entries[number] == nil, number != 0 else { continue }
                switch type {
                case 0: entries[number] = .free(nextGeneration: fields[2])
                case 1: entries[number] = .offset(fields[1], generation: fields[2])
                case 2: entries[number] = .compressed(streamNumber: fields[1], index: fields[2])
                default: continue  // unknown types are treated as null references (§7.5.8.3)
                }
            }
        }
        return XRefSection(
            offset: offset, kind: .stream, trailer: dictionary, entries: entries, streamObject: (streamRef, offset))
    }
}
