/// Finds `startxref` and walks the `/Prev` chain into a list of revisions, oldest first.
struct RevisionLoader {
    let bytes: [UInt8]
    let limits: PDFLimits
    let eofMarkers = KeywordIndex("%%EOF")

    /// The offset `startxref` declares (the last one in the file).
    func startXRef() throws(PDFError) -> Int {
        let keyword = Array("startxref".utf8)
        let tailStart = max(0, bytes.count - 4096)
        guard let found = ByteSearch.lastIndex(of: keyword, in: bytes, before: bytes.count, from: tailStart)
            ?? ByteSearch.lastIndex(of: keyword, in: bytes, before: bytes.count)
        else { throw PDFError(.xrefBroken, "no startxref keyword") }
        var parser = PDFParser(bytes: bytes, position: found + keyword.count, maxDepth: 8)
        guard let offset = parser.readUnsignedInteger() else {
            throw PDFError(.xrefBroken, "startxref is not followed by an offset", offset: found)
        }
        return offset
    }

    /// Loads every section reachable from `start`.
    /// - Returns: the revisions and, by object number, where each cross-reference stream object really is.
    func load(start: Int) throws(PDFError) -> (revisions: [PDFRevision], xrefStreams: [Int: (offset: Int, generation: Int)]) {
        var xrefStreams: [Int: (offset: Int, generation: Int)] = [:]
        let reader = XRefReader(bytes: bytes, limits: limits)
        var visited = Set<Int>()
        var chain: [(section: XRefSection, prev: Int?)] = []  // newest first
        var next: Int? = start
        while let offset = next {
            guard visited.insert(offset).inserted else {
                throw PDFError(.xrefBroken, "/Prev chain loops", offset: offset)
            }
            guard chain.count < limits.maxRevisions else {
                throw PDFError(.limitExceeded, "more than \(limits.maxRevisions) cross-reference sections")
            }
            var section = try reader.readSection(at: offset)
            if let own = section.streamObject { xrefStreams[own.ref.number] = (own.offset, own.ref.generation) }
            if section.kind == .hybrid, let streamOffset = section.trailer[.xrefStm]?.integerValue {
                // Hybrid: the stream adds entries the table leaves out (or marks free).
                if visited.insert(streamOffset).inserted, let hidden = try? reader.readSection(at: streamOffset) {
                    if let own = hidden.streamObject { xrefStreams[own.ref.number] = (own.offset, own.ref.generation) }
                    for (number, entry) in hidden.entries {
                        switch section.entries[number] {
                        case nil, .free?: section.entries[number] = entry
                        default: break
                        }
                    }
                }
            }
            let prev = section.trailer[.prev]?.integerValue
            chain.append((section, prev))
            next = prev
        }
        // Oldest first; a section whose /Prev points *later* in the file is the first-page section of a
        // linearized file and belongs to the same revision as the section it points to.
        var revisions: [PDFRevision] = []
        for (section, prev) in chain.reversed() {
            let end = endOfRevision(after: section.offset)
            if let prev, prev > section.offset, var merged = revisions.last {
                for (number, entry) in section.entries { merged.entries[number] = entry }
                merged.trailer = section.trailer
                merged.kind = section.kind
                merged.xrefOffset = section.offset
                merged.endOffset = max(merged.endOffset, end)
                revisions[revisions.count - 1] = merged
            } else {
                revisions.append(
                    PDFRevision(
                        xrefOffset: section.offset, endOffset: end, trailer: section.trailer, kind: section.kind,
                        entries: section.entries))
            }
        }
        return (revisions, xrefStreams)
    }

    /// The byte after the first `%%EOF` line at or after `offset` (end of file when there is none).
    func endOfRevision(after offset: Int) -> Int {
        // Usually the marker follows within the section; only a far or missing one builds the full index
        // (so many revisions without %%EOF cannot make this quadratic).
        let window = min(bytes.count, offset + (1 << 20))
        guard let found = ByteSearch.firstIndex(of: Array("%%EOF".utf8), in: bytes, from: offset, to: window)
            ?? eofMarkers.next(after: offset, in: bytes)
        else {
            return bytes.count
        }
        var end = found + 5
        if end < bytes.count, bytes[end] == 13 { end += 1 }
        if end < bytes.count, bytes[end] == 10 { end += 1 }
        return end
    }
}
