extension PDFDocument {
    /// The pages in order, with `/MediaBox`, `/CropBox`, `/Rotate` and `/Resources` inherited from the tree.
    /// The list is read once per document (keyword placement and the stamper share it).
    ///
    /// - Throws: ``PDFError`` `.malformed` for a missing page tree, `.limitExceeded` for a tree that loops
    ///   or nests deeper than the limit.
    public func pages() throws(PDFError) -> [PDFPage] {
        if let cached = cache.pages { return cached }
        let pages = try readPages()
        cache.store(pages: pages)
        return pages
    }

    private func readPages() throws(PDFError) -> [PDFPage] {
        guard let rootObject = trailer[.root], let root = try resolve(rootObject).dictionaryValue else {
            throw PDFError(.malformed, "no document catalog")
        }
        guard case .reference(let treeRef)? = root["Pages"] else {
            throw PDFError(.malformed, "catalog has no indirect /Pages")
        }
        var pages: [PDFPage] = []
        var visited = Set<PDFReference>()
        struct Inherited {
            var mediaBox: PDFRect?
            var cropBox: PDFRect?
            var rotate: Int?
            var resources: PDFObject?
        }
        // Iterative walk (explicit stack) so a deep or looping tree cannot overflow the call stack.
        var stack: [(ref: PDFReference, inherited: Inherited, depth: Int)] = [(treeRef, Inherited(), 0)]
        while let (ref, inheritedFromParent, depth) = stack.popLast() {
            guard depth <= options.limits.maxDepth else {
                throw PDFError(.limitExceeded, "page tree deeper than \(options.limits.maxDepth)")
            }
            guard let node = try object(ref).dictionaryValue else { continue }
            // A page listed twice is tolerated (it is shown twice); an intermediate node seen twice is a loop.
            if node.type != "Page", !visited.insert(ref).inserted {
                throw PDFError(.malformed, "page tree loops through object \(ref.number)")
            }
            var inherited = inheritedFromParent
            if let value = node["MediaBox"], let box = PDFRect(try resolveArray(value)) { inherited.mediaBox = box }
            if let value = node["CropBox"], let box = PDFRect(try resolveArray(value)) { inherited.cropBox = box }
            if let value = node["Rotate"], let rotate = try resolve(value).integerValue { inherited.rotate = rotate }
            if let resources = node["Resources"] { inherited.resources = resources }
            var kids: [PDFObject]?
            if let value = node["Kids"] { kids = try resolve(value).arrayValue }
            let isPage = node.type == "Page" || (node.type == nil && kids == nil)
            if isPage {
                let media = inherited.mediaBox ?? PDFRect(llx: 0, lly: 0, urx: 612, ury: 792)
                let crop = inherited.cropBox.map { $0.intersection(media) } ?? media
                var rotate = (inherited.rotate ?? 0) % 360
                if rotate < 0 { rotate += 360 }
                rotate = (rotate / 90) * 90
                pages.append(
                    PDFPage(
                        ref: ref, dictionary: node, mediaBox: media, cropBox: crop, rotate: rotate,
                        resources: inherited.resources))
                guard pages.count <= options.limits.maxObjectCount else {
                    throw PDFError(.limitExceeded, "more pages than the object limit")
                }
            } else if let kids {
                for kid in kids.reversed() {
                    guard case .reference(let kidRef) = kid else { continue }
                    stack.append((kidRef, inherited, depth + 1))
                }
            }
        }
        return pages
    }

    private func resolveArray(_ object: PDFObject) throws(PDFError) -> PDFObject {
        let resolved = try resolve(object)
        guard case .array(let items) = resolved else { return resolved }
        var direct: [PDFObject] = []
        for item in items { direct.append(try resolve(item)) }
        return .array(direct)
    }
}
