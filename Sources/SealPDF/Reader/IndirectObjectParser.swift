/// Parses `N G obj … endobj`, including stream data, with recovery for a wrong `/Length`.
extension PDFParser {
    /// Reads the `N G obj` header at the current position.
    mutating func parseObjectHeader() throws(PDFError) -> PDFReference {
        guard let number = readUnsignedInteger(), let generation = readUnsignedInteger(), consumeKeyword("obj") else {
            throw error(.malformed, "object header `N G obj` expected")
        }
        return PDFReference(number: number, generation: generation)
    }

    /// Parses an indirect object at the current position.
    ///
    /// - Parameter resolveLength: resolves an indirect `/Length` (nil when it cannot be found).
    /// - Returns: the reference from the header and the object (a stream's `rawData` is still encrypted here).
    /// - Parameter endstreams: an index of `endstream` positions for recovery (searched directly when nil).
    mutating func parseIndirectObject(
        endstreams: KeywordIndex? = nil, resolveLength: (PDFReference) -> Int?
    ) throws(PDFError) -> (PDFReference, PDFObject) {
        let ref = try parseObjectHeader()
        let object = try parseObject()
        guard case .dictionary(let dictionary) = object else {
            _ = consumeKeyword("endobj")
            return (ref, object)
        }
        let beforeKeyword = position
        guard consumeKeyword("stream") else {
            position = beforeKeyword
            _ = consumeKeyword("endobj")
            return (ref, object)
        }
        // The keyword is followed by CRLF or LF (tolerate a lone CR or nothing).
        if peek() == 13 { position += 1 }
        if peek() == 10 { position += 1 }
        let dataStart = position
        var declared: Int?
        switch dictionary[.length] {
        case .integer(let value): declared = value
        case .reference(let lengthRef): declared = resolveLength(lengthRef)
        default: declared = nil
        }
        var dataEnd: Int?
        if let declared, declared >= 0, declared <= bytes.count - dataStart {
            var probe = PDFParser(bytes: bytes, position: dataStart + declared, maxDepth: maxDepth)
            if probe.consumeKeyword("endstream") { dataEnd = dataStart + declared; position = probe.position }
        }
        if dataEnd == nil {
            // Wrong or missing /Length: the data ends before the next `endstream` (minus its EOL).
            let next = endstreams.map { $0.next(after: dataStart, in: bytes) }
                ?? ByteSearch.firstIndex(of: Array("endstream".utf8), in: bytes, from: dataStart)
            guard let found = next else {
                throw PDFError(.malformed, "stream without endstream", offset: dataStart)
            }
            var end = found
            if end > dataStart, bytes[end - 1] == 10 { end -= 1 }
            if end > dataStart, bytes[end - 1] == 13 { end -= 1 }
            dataEnd = end
            position = found + 9
        }
        _ = consumeKeyword("endobj")
        let data = Array(bytes[dataStart..<dataEnd!])
        return (ref, .stream(PDFStream(dictionary: dictionary, rawData: data)))
    }
}
