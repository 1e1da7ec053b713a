extension PDFDocument {
    /// Deepest chain of nested loads (an indirect `/Length`, an object stream) before giving up.
    static let maxLoadDepth = 12

    /// The object a reference points to in the newest revision (`.null` for free or missing objects,
    /// as ISO 32000 §7.3.10 prescribes).
    public func object(_ ref: PDFReference) throws(PDFError) -> PDFObject {
        guard let entry = latestEntries[ref.number] else { return .null }
        return try load(ref, entry: entry, depth: 0)
    }

    /// The object as revision `index` (0 = oldest) saw it; nil when that revision had no such object.
    public func object(_ ref: PDFReference, asOfRevision index: Int) throws(PDFError) -> PDFObject? {
        guard revisions.indices.contains(index) else {
            throw PDFError(.invalidArgument, "revision \(index) does not exist")
        }
        for revisionIndex in stride(from: index, through: 0, by: -1) {
            guard let entry = revisions[revisionIndex].entries[ref.number] else { continue }
            if case .free = entry { return nil }
            return try load(ref, entry: entry, depth: 0, asOfRevision: index)
        }
        return nil
    }

    /// Follows references until a direct object (`.null` for dangling references).
    public func resolve(_ object: PDFObject) throws(PDFError) -> PDFObject {
        var current = object
        var hops = 0
        while case .reference(let ref) = current {
            hops += 1
            guard hops <= options.limits.maxDepth else {
                throw PDFError(.limitExceeded, "reference chain longer than \(options.limits.maxDepth)")
            }
            current = try self.object(ref)
        }
        return current
    }

    /// Resolves `object` and returns it if it is a dictionary (or a stream's dictionary).
    public func resolveDictionary(_ object: PDFObject?) throws(PDFError) -> PDFDictionary? {
        guard let object else { return nil }
        return try resolve(object).dictionaryValue
    }

    /// A stream's decoded data, with indirect `/Filter` and `/DecodeParms` resolved first.
    public func decodedData(of stream: PDFStream) throws(PDFError) -> [UInt8] {
        var dictionary = stream.dictionary
        for key in [PDFName.filter, .decodeParms] {
            guard let value = dictionary[key] else { continue }
            var resolved = try resolve(value)
            if case .array(let items) = resolved {
                var direct: [PDFObject] = []
                for item in items { direct.append(try resolve(item)) }
                resolved = .array(direct)
            }
            dictionary[key] = resolved
        }
        return try FilterPipeline.decode(stream.rawData, dictionary: dictionary, limits: options.limits)
    }

    // MARK: - Loading

    func load(_ ref: PDFReference, entry: PDFXRefEntry, depth: Int, asOfRevision: Int? = nil) throws(PDFError)
        -> PDFObject
    {
        guard depth < Self.maxLoadDepth else {
            throw PDFError(.limitExceeded, "object loads nested too deeply (indirect /Length or object stream loop)")
        }
        switch entry {
        case .free:
            return .null
        case .offset(let offset, let generation):
            if generation != ref.generation { return .null }
            if let cached = cache.object(at: .offset(offset)) { return cached }
            let object = try parseObject(at: offset, number: ref.number, generation: generation, depth: depth)
            cache.store(object, at: .offset(offset))
            return object
        case .compressed(let streamNumber, let index):
            if ref.generation != 0 { return .null }
            let location = ObjectCache.Location.compressed(streamNumber: streamNumber, index: index)
            if let cached = cache.object(at: location) { return cached }
            let contents = try objectStream(streamNumber, depth: depth, asOfRevision: asOfRevision)
            try budget.check()
            let (object, walked) = try contents.object(number: ref.number, index: index, maxDepth: options.limits.maxDepth)
            budget.charge(walked)
            cache.store(object, at: location)
            return object
        }
    }

    private func objectStream(_ number: Int, depth: Int, asOfRevision: Int?) throws(PDFError) -> ObjectStreamContents {
        let entry: PDFXRefEntry?
        if let asOfRevision {
            entry = revisions[...asOfRevision].reversed().lazy.compactMap { $0.entries[number] }.first
        } else {
            entry = latestEntries[number]
        }
        guard case .offset(let offset, _)? = entry, let entry else {
            throw PDFError(.malformed, "object stream \(number) is missing or itself compressed")
        }
        if let cached = cache.objectStream(offset) { return cached }
        let object = try load(PDFReference(number: number, generation: 0), entry: entry, depth: depth + 1)
        guard case .stream(let stream) = object else {
            throw PDFError(.malformed, "object stream \(number) is not a stream")
        }
        let contents = try ObjectStreamContents(stream: stream, limits: options.limits)
        budget.charge(contents.data.count)
        cache.store(contents, forStream: offset)
        return contents
    }

    private func parseObject(at offset: Int, number: Int, generation: Int, depth: Int) throws(PDFError) -> PDFObject {
        guard offset >= 0, offset < bytes.count else {
            throw PDFError(.objectNotFound, "object \(number) offset outside the file", offset: offset)
        }
        try budget.check()
        var parser = PDFParser(bytes: bytes, position: offset, maxDepth: options.limits.maxDepth)
        let parsed: (PDFReference, PDFObject)
        do {
            parsed = try parser.parseIndirectObject(endstreams: endstreams) { lengthRef in
                guard lengthRef.number != number, let entry = self.latestEntries[lengthRef.number],
                    let value = try? self.load(lengthRef, entry: entry, depth: depth + 1)
                else { return nil }
                return value.integerValue
            }
        } catch {
            budget.charge(parser.position - offset)
            throw error
        }
        budget.charge(parser.position - offset)
        let (ref, object) = parsed
        guard ref.number == number else {
            throw PDFError(.objectNotFound, "object \(number) expected, found \(ref.number)", offset: offset)
        }
        guard let security, encryptReference?.number != number else { return object }
        return try security.decrypt(object, ref: PDFReference(number: number, generation: generation))
    }
}
