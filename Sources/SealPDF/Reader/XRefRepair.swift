/// Rebuilds a cross-reference by scanning the whole file for `N G obj` (used only when allowed).
struct XRefRepair {
    let bytes: [UInt8]
    let limits: PDFLimits

    /// Scans the file; later definitions of an object number win, as in an incremental update.
    func reconstruct(declaredStartXRef: Int?) throws(PDFError) -> PDFRevision {
        var entries: [Int: PDFXRefEntry] = [:]
        var objectStreams: [(number: Int, stream: PDFStream)] = []
        var trailers: [PDFDictionary] = []
        var catalogs: [Int] = []
        let objKeyword = Array("obj".utf8)
        let endstreams = KeywordIndex("endstream")
        var position = 0
        let budget = ParseBudget(fileBytes: bytes.count, limits: limits)
        while let found = ByteSearch.firstIndex(of: objKeyword, in: bytes, from: position) {
            position = found + 3
            guard let headerStart = headerStart(beforeObjAt: found) else { continue }
            try budget.check()
            var parser = PDFParser(bytes: bytes, position: headerStart, maxDepth: limits.maxDepth)
            let parsed = try? parser.parseIndirectObject(endstreams: endstreams, resolveLength: { _ in nil })
            budget.charge(parser.position - headerStart)
            guard let (ref, object) = parsed else { continue }
            position = max(position, parser.position)
            entries[ref.number] = .offset(headerStart, generation: ref.generation)
            guard entries.count <= limits.maxObjectCount else {
                throw PDFError(.limitExceeded, "repair found more objects than allowed")
            }
            if let dictionary = object.dictionaryValue {
                switch dictionary.type?.string {
                case "ObjStm": if let stream = object.streamValue { objectStreams.append((ref.number, stream)) }
                case "XRef": if dictionary[.root] != nil { trailers.append(dictionary) }
                case "Catalog": catalogs.append(ref.number)
                default: break
                }
            }
        }
        // Classic trailers (the last one with /Root is the newest).
        var trailerPosition = 0
        let trailerKeyword = Array("trailer".utf8)
        while let found = ByteSearch.firstIndex(of: trailerKeyword, in: bytes, from: trailerPosition) {
            trailerPosition = found + trailerKeyword.count
            var parser = PDFParser(bytes: bytes, position: trailerPosition, maxDepth: limits.maxDepth)
            if case .dictionary(let dictionary)? = try? parser.parseObject(), dictionary[.root] != nil {
                trailers.append(dictionary)
            }
        }
        for (streamNumber, stream) in objectStreams {
            guard let contents = try? ObjectStreamContents(stream: stream, limits: limits) else { continue }
            for (index, number) in contents.numbers.enumerated() where entries[number] == nil {
                entries[number] = .compressed(streamNumber: streamNumber, index: index)
            }
        }
        guard !entries.isEmpty else { throw PDFError(.xrefBroken, "repair found no objects") }
        var trailer = trailers.last ?? PDFDictionary()
        if trailer[.root] == nil, let catalog = catalogs.last, case .offset(_, let generation)? = entries[catalog] {
            trailer[.root] = .reference(PDFReference(number: catalog, generation: generation))
        }
        guard trailer[.root] != nil else { throw PDFError(.xrefBroken, "repair found no document catalog") }
        var cleaned = PDFDictionary()
        for key in [PDFName.root, .info, .id, .encrypt] { if let value = trailer[key] { cleaned[key] = value } }
        cleaned[.size] = .integer((entries.keys.max() ?? 0) + 1)
        return PDFRevision(
            xrefOffset: declaredStartXRef ?? 0, endOffset: bytes.count, trailer: cleaned, kind: .reconstructed,
            entries: entries)
    }

    /// The offset of `N G ` before the `obj` keyword at `objOffset`, when the bytes there form a header.
    private func headerStart(beforeObjAt objOffset: Int) -> Int? {
        if objOffset + 3 < bytes.count, ByteClass.isRegular(bytes[objOffset + 3]) { return nil }
        var index = objOffset - 1
        func skipSpaces() { while index >= 0, ByteClass.isWhitespace(bytes[index]) { index -= 1 } }
        func skipDigits() -> Bool {
            let start = index
            while index >= 0, ByteClass.isDigit(bytes[index]) { index -= 1 }
            return index < start && start - index <= 10
        }
        guard index >= 0, ByteClass.isWhitespace(bytes[index]) else { return nil }
        skipSpaces()
        guard skipDigits() else { return nil }
        guard index >= 0, ByteClass.isWhitespace(bytes[index]) else { return nil }
        skipSpaces()
        guard skipDigits() else { return nil }
        if index >= 0, ByteClass.isRegular(bytes[index]) { return nil }
        return index + 1
    }
}
