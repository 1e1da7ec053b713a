/// A parsed PDF file: its revisions, trailer and lazily loaded objects.
///
/// Opening reads only the header, `startxref` and the cross-reference sections; objects are parsed when
/// first requested and cached. The document is immutable after `init` (caches are internally locked), so one
/// instance may be read from several threads.
public final class PDFDocument: @unchecked Sendable {  // immutable after init; ObjectCache locks its own state
    /// The input bytes, untouched.
    public let bytes: [UInt8]
    /// Every cross-reference section, oldest first (one `.reconstructed` revision after a repair).
    public let revisions: [PDFRevision]
    /// The newest trailer.
    public let trailer: PDFDictionary
    /// True when the cross-reference was rebuilt by scanning (``PDFReadOptions/allowRepair``).
    public let wasRepaired: Bool
    /// Notes about tolerated irregularities (e.g. an off-by-one `startxref`); never document content.
    public let warnings: [String]
    /// The offset `startxref` declares at the end of the file (`revisions.last?.xrefOffset` is where the
    /// section really is when the two differ).
    public let startXRefOffset: Int
    /// The options the document was opened with.
    public let options: PDFReadOptions

    let latestEntries: [Int: PDFXRefEntry]
    let security: StandardSecurityHandler?
    let encryptReference: PDFReference?
    let cache = ObjectCache()
    let endstreams = KeywordIndex("endstream")
    let budget: ParseBudget

    /// Opens a document.
    ///
    /// - Throws: ``PDFError`` — `.xrefBroken` when the cross-reference is unusable and repair is off or fails,
    ///   `.passwordRequired` / `.wrongPassword` / `.unsupportedEncryption` for encryption, `.limitExceeded`.
    public init(bytes: [UInt8], options: PDFReadOptions = .init()) throws(PDFError) {
        let limits = options.limits
        guard bytes.count <= limits.maxFileBytes else {
            throw PDFError(.limitExceeded, "file larger than \(limits.maxFileBytes) bytes")
        }
        guard ByteSearch.firstIndex(of: Array("%PDF-".utf8), in: bytes, from: 0, to: min(bytes.count, 1024)) != nil
        else { throw PDFError(.malformed, "no %PDF- header in the first 1024 bytes") }
        self.bytes = bytes
        self.options = options
        self.budget = ParseBudget(fileBytes: bytes.count, limits: options.limits)
        let loader = RevisionLoader(bytes: bytes, limits: limits)
        var warnings: [String] = []
        var revisions: [PDFRevision] = []
        var repaired = false
        let declared = try? loader.startXRef()
        do throws(PDFError) {
            guard let declared else { throw PDFError(.xrefBroken, "no startxref keyword") }
            let loaded = try loader.load(start: declared)
            revisions = loaded.revisions
            // A few wrong entries (e.g. an xref stream listing itself at a bad offset) are dropped; many mean
            // the offsets are shifted and the table is useless.
            let merged = Self.merge(revisions)
            let bad = Self.badEntries(merged, bytes: bytes)
            if bad.count > max(2, merged.count / 10) {
                throw PDFError(.xrefBroken, "\(bad.count) cross-reference entries do not point to their objects")
            }
            if !bad.isEmpty {
                // The newest definition is unusable: the object reads as null (a dangling reference), while
                // older revisions keep what they defined (object(_:asOfRevision:) still sees those).
                // An xref stream listing itself at a wrong offset is found where we read it.
                for number in bad {
                    guard let index = revisions.lastIndex(where: { $0.entries[number] != nil }) else { continue }
                    if let own = loaded.xrefStreams[number] {
                        revisions[index].entries[number] = .offset(own.offset, generation: own.generation)
                    } else {
                        revisions[index].entries[number] = .free(nextGeneration: 0)
                    }
                }
                warnings.append("\(bad.count) cross-reference entries ignored: they do not point to their objects")
            }
            if let actual = revisions.last?.xrefOffset, actual != declared {
                warnings.append("startxref is off by \(actual - declared) bytes")
            }
            if revisions.last?.trailer[.root] == nil {
                throw PDFError(.xrefBroken, "trailer has no /Root")
            }
        } catch {
            guard error.code == .xrefBroken || error.code == .malformed else { throw error }
            guard options.allowRepair else { throw PDFError(.xrefBroken, error.reason, offset: error.offset) }
            let repair = XRefRepair(bytes: bytes, limits: limits)
            do throws(PDFError) {
                revisions = [try repair.reconstruct(declaredStartXRef: declared)]
            } catch let repairError {
                if repairError.code == .limitExceeded { throw repairError }
                throw PDFError(.xrefBroken, "\(error.reason); repair failed: \(repairError.reason)", offset: error.offset)
            }
            repaired = true
            warnings.append("cross-reference rebuilt by scanning: \(error.reason)")
        }
        self.revisions = revisions
        self.trailer = revisions.last?.trailer ?? PDFDictionary()
        self.latestEntries = Self.merge(revisions)
        self.wasRepaired = repaired
        self.startXRefOffset = declared ?? 0
        self.warnings = warnings

        // Encryption: the /Encrypt dictionary itself is never encrypted.
        if let encrypt = trailer[.encrypt] {
            var dictionary: PDFDictionary?
            var encryptRef: PDFReference?
            if case .reference(let ref) = encrypt {
                encryptRef = ref
                dictionary = try Self.loadPlain(ref, bytes: bytes, entries: latestEntries, limits: limits)
            } else {
                dictionary = encrypt.dictionaryValue
            }
            guard let dictionary else { throw PDFError(.malformed, "/Encrypt is not a dictionary") }
            let firstID = trailer[.id]?.arrayValue?.first?.stringValue?.bytes ?? []
            self.security = try StandardSecurityHandler(
                dictionary: dictionary, documentID: firstID, password: options.password)
            self.encryptReference = encryptRef
        } else {
            self.security = nil
            self.encryptReference = nil
        }
    }

    /// True when the document has an `/Encrypt` dictionary (it was opened with a valid password).
    public var isEncrypted: Bool { security != nil }

    /// The encryption parameters and permissions, or nil for an unencrypted document.
    public var encryption: PDFEncryptionInfo? { security?.info }

    /// The trailer's `/Size` (one more than the highest object number the file declares); an absent or
    /// absurd `/Size` (beyond ``PDFLimits/maxObjectCount``) is replaced by the highest listed number + 1.
    public var maxObjectNumber: Int {
        let highest = (latestEntries.keys.max() ?? 0) + 1
        guard let size = trailer[.size]?.integerValue, size >= 0, size <= options.limits.maxObjectCount else {
            return highest
        }
        return size
    }

    /// The first object number not used by any revision (what an update should allocate from).
    var nextFreeObjectNumber: Int {
        var highest = latestEntries.keys.max() ?? 0
        for revision in revisions { highest = max(highest, revision.entries.keys.max() ?? 0) }
        return max(highest + 1, maxObjectNumber)
    }

    /// The document catalog (`/Root`).
    public var catalog: PDFDictionary {
        get throws {
            guard let root = trailer[.root] else { throw PDFError(.malformed, "trailer has no /Root") }
            guard let dictionary = try resolve(root).dictionaryValue else {
                throw PDFError(.malformed, "/Root is not a dictionary")
            }
            return dictionary
        }
    }

    /// The newest entry for every object number (merged over all revisions, newest wins).
    static func merge(_ revisions: [PDFRevision]) -> [Int: PDFXRefEntry] {
        guard revisions.count > 1 else { return revisions.first?.entries ?? [:] }
        var merged: [Int: PDFXRefEntry] = [:]
        for revision in revisions { merged.merge(revision.entries) { _, newer in newer } }
        return merged
    }

    /// The object numbers whose in-use offset does not start with `N G obj` for that number.
    static func badEntries(_ entries: [Int: PDFXRefEntry], bytes: [UInt8]) -> [Int] {
        var bad: [Int] = []
        for (number, entry) in entries {
            guard case .offset(let offset, _) = entry else { continue }
            guard offset >= 0, offset < bytes.count else {
                bad.append(number)
                continue
            }
            var parser = PDFParser(bytes: bytes, position: offset, maxDepth: 4)
            guard let found = parser.readUnsignedInteger(), found == number, parser.readUnsignedInteger() != nil,
                parser.consumeKeyword("obj")
            else {
                bad.append(number)
                continue
            }
        }
        return bad
    }

    /// Loads the /Encrypt dictionary without decryption (it is stored in the clear).
    private static func loadPlain(
        _ ref: PDFReference, bytes: [UInt8], entries: [Int: PDFXRefEntry], limits: PDFLimits
    ) throws(PDFError) -> PDFDictionary? {
        guard case .offset(let offset, _)? = entries[ref.number], offset < bytes.count else {
            throw PDFError(.malformed, "/Encrypt dictionary not found")
        }
        var parser = PDFParser(bytes: bytes, position: offset, maxDepth: limits.maxDepth)
        return try parser.parseIndirectObject(resolveLength: { _ in nil }).1.dictionaryValue
    }
}
