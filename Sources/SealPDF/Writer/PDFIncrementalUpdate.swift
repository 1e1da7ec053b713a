import Foundation
import SealCrypto

/// Builds one incremental update of a document: new and replaced objects appended after the original bytes,
/// with a cross-reference section in the same style as the input (table → table, stream → stream; a hybrid
/// input gets a table whose `/Prev` leads to the hybrid section).
///
/// Earlier bytes are never touched. `/Prev` (the newest section's real offset), `/Size`, `/Root`, `/Info`, `/Encrypt` are carried over or derived;
/// `/ID` keeps its first element and gets a new second one. In an encrypted document strings and streams are
/// encrypted with the document's key (except keys the caller marks plain, e.g. a signature's `/Contents`).
public struct PDFIncrementalUpdate {
    /// The document being updated.
    public let document: PDFDocument

    private struct Pending {
        var ref: PDFReference
        var object: PDFObject
        var encrypt: Bool
        var plainKeys: Set<PDFName>
    }

    private var pending: [Pending] = []
    private var indexByNumber: [Int: Int] = [:]
    private var nextNumber: Int
    private var trailerEntries = PDFDictionary()

    /// Starts an update of `document`.
    public init(document: PDFDocument) {
        self.document = document
        self.nextNumber = max(1, document.nextFreeObjectNumber)
    }

    /// Adds a new object and returns its reference.
    ///
    /// - Parameter encrypt: false writes the whole object in the clear even in an encrypted document.
    @discardableResult
    public mutating func add(_ object: PDFObject, encrypt: Bool = true) -> PDFReference {
        let ref = reserve()
        replace(ref, with: object, encrypt: encrypt)
        return ref
    }

    /// Adds a new object whose listed top-level dictionary keys stay unencrypted (a signature dictionary's
    /// `/Contents`, ISO 32000-1 §7.6.1); every other string is encrypted when the document is.
    @discardableResult
    public mutating func add(_ object: PDFObject, unencryptedKeys: Set<PDFName>) -> PDFReference {
        let ref = reserve()
        set(ref, object, encrypt: true, plainKeys: unencryptedKeys)
        return ref
    }

    /// Allocates an object number to fill later with ``replace(_:with:encrypt:)`` (for objects that refer to
    /// each other). An allocated number that is never filled is written as `null`.
    public mutating func reserve() -> PDFReference {
        let ref = PDFReference(number: nextNumber, generation: 0)
        nextNumber += 1
        set(ref, .null, encrypt: true, plainKeys: [])
        return ref
    }

    /// Replaces (or fills) an object; the update redefines it under the same number and generation.
    public mutating func replace(_ ref: PDFReference, with object: PDFObject, encrypt: Bool = true) {
        set(ref, object, encrypt: encrypt, plainKeys: [])
    }

    /// Replaces an object, keeping the listed top-level keys unencrypted.
    public mutating func replace(_ ref: PDFReference, with object: PDFObject, unencryptedKeys: Set<PDFName>) {
        set(ref, object, encrypt: true, plainKeys: unencryptedKeys)
    }

    /// Extra trailer entries written over the derived ones (e.g. a new `/Info`). `/Prev`, `/Size` and the
    /// cross-reference keys (`/XRefStm`, `/Type`, `/W`, `/Index`, `/Length`, `/Filter`, `/DecodeParms`) are
    /// always derived and cannot be overridden.
    public mutating func setTrailerEntries(_ entries: PDFDictionary) {
        trailerEntries = trailerEntries.merging(entries)
    }

    /// The objects written so far, in order.
    public var references: [PDFReference] { pending.map(\.ref) }

    private mutating func set(_ ref: PDFReference, _ object: PDFObject, encrypt: Bool, plainKeys: Set<PDFName>) {
        if ref.number >= nextNumber, ref.number < Int(Int32.max) { nextNumber = ref.number + 1 }
        let item = Pending(ref: ref, object: object, encrypt: encrypt, plainKeys: plainKeys)
        if let index = indexByNumber[ref.number] {
            pending[index] = item
        } else {
            indexByNumber[ref.number] = pending.count
            pending.append(item)
        }
    }

    /// Serialises the update.
    ///
    /// - Throws: ``PDFError/Code/invalidArgument`` for an object number outside 1…2³¹−2 or a generation
    ///   outside 0…65535.
    public func write() throws(PDFError) -> PDFWrittenUpdate {
        let original = document.bytes
        let base = original.count
        var out: [UInt8] = []
        out.reserveCapacity(4096 + pending.count * 256)
        if let last = original.last, last != 10, last != 13 { out.append(10) }
        if original.isEmpty { out.append(10) }

        var ranges: [PDFReference: Range<Int>] = [:]
        var offsets: [Int: (offset: Int, generation: Int)] = [:]
        let security = document.security
        for item in pending {
            guard (1..<Int(Int32.max)).contains(item.ref.number), (0...65535).contains(item.ref.generation) else {
                throw PDFError(.invalidArgument, "object number must be 1…2³¹−2 and generation 0…65535")
            }
            let start = base + out.count
            out.append(contentsOf: "\(item.ref.number) \(item.ref.generation) obj\n".utf8)
            if let security, item.encrypt {
                let ref = item.ref
                try PDFSerializer.write(
                    item.object, to: &out,
                    encryptString: { (bytes) throws(PDFError) in
                        try security.encrypt(bytes, method: security.stringMethod, ref: ref)
                    },
                    encryptStream: { (stream) throws(PDFError) in
                        security.isExempt(stream.dictionary)
                            ? stream.rawData : try security.encrypt(stream.rawData, method: security.streamMethod, ref: ref)
                    }, plainKeys: item.plainKeys)
            } else {
                PDFSerializer.write(item.object, to: &out)
            }
            out.append(contentsOf: "\nendobj\n".utf8)
            ranges[item.ref] = start..<(base + out.count)
            offsets[item.ref.number] = (start - 0, item.ref.generation)
        }

        // What the new section lists: the new objects, or everything after a repair (no usable /Prev chain).
        let repaired = document.wasRepaired
        var listed: [Int: PDFXRefEntry] = [:]
        if repaired {
            listed = document.latestEntries.filter { if case .free = $0.value { return false } else { return true } }
        }
        for (number, value) in offsets { listed[number] = .offset(value.offset, generation: value.generation) }
        let hasCompressed = listed.values.contains { if case .compressed = $0 { return true } else { return false } }
        let useStream: Bool
        switch document.revisions.last?.kind ?? .table {
        case .stream: useStream = true
        case .table, .hybrid: useStream = false
        case .reconstructed: useStream = hasCompressed
        }

        var trailer = PDFDictionary()
        for key in [PDFName.root, .info, .encrypt] { if let value = document.trailer[key] { trailer[key] = value } }
        trailer[.id] = .array(newID())
        let derivedKeys: Set<PDFName> = [.prev, .size, .xrefStm, "W", "Index", .type, .length, .filter, .decodeParms]
        for entry in trailerEntries.entries where !derivedKeys.contains(entry.key) {
            trailer[entry.key] = entry.value
        }
        var size = max(nextNumber, document.maxObjectNumber, (listed.keys.max() ?? 0) + 1)

        let xrefOffset = base + out.count
        // Where the newest section really is (equal to `startxref` unless that was off by a few bytes).
        let previousSection = document.revisions.last?.xrefOffset ?? document.startXRefOffset
        if useStream {
            let streamNumber = size
            size += 1
            listed[streamNumber] = .offset(xrefOffset, generation: 0)
            var dictionary = PDFDictionary()
            dictionary[.type] = .name("XRef")
            dictionary[.size] = .integer(size)
            let (data, widths, index) = Self.xrefStreamData(listed, includeZero: repaired)
            dictionary["W"] = .array(widths.map { .integer($0) })
            dictionary["Index"] = .array(index.map { .integer($0) })
            if !repaired { dictionary[.prev] = .integer(previousSection) }
            for entry in trailer.entries { dictionary[entry.key] = entry.value }
            out.append(contentsOf: "\(streamNumber) 0 obj\n".utf8)
            PDFSerializer.write(.stream(PDFStream(dictionary: dictionary, rawData: data)), to: &out)
            out.append(contentsOf: "\nendobj\n".utf8)
        } else {
            out.append(contentsOf: "xref\n".utf8)
            Self.appendTable(listed, includeZero: repaired, to: &out)
            var table = PDFDictionary()
            table[.size] = .integer(size)
            if !repaired { table[.prev] = .integer(previousSection) }
            for entry in trailer.entries { table[entry.key] = entry.value }
            out.append(contentsOf: "trailer\n".utf8)
            PDFSerializer.write(.dictionary(table), to: &out)
            out.append(10)
        }
        out.append(contentsOf: "startxref\n\(xrefOffset)\n%%EOF\n".utf8)
        return PDFWrittenUpdate(original: original, appended: out, objectRanges: ranges, xrefOffset: xrefOffset)
    }

    /// `/ID`: the first element kept (it keys the encryption), a fresh second one.
    private func newID() -> [PDFObject] {
        var seed = Array(String(Date().timeIntervalSince1970).utf8)
        seed += String(document.bytes.count).utf8
        seed += PDFCrypto.randomBytes(16)
        // An identifier, not a security value: SHA-256 cut to MD5's 16 bytes (the length writers expect).
        let fresh = PDFString(bytes: Array(SealCrypto.Digest.hash(.sha256, seed).prefix(16)), isHex: true)
        if let first = document.trailer[.id]?.arrayValue?.first?.stringValue {
            return [.string(PDFString(bytes: first.bytes, isHex: true)), .string(fresh)]
        }
        return [.string(fresh), .string(fresh)]
    }

    /// Contiguous runs of object numbers, sorted.
    private static func runs(_ numbers: [Int]) -> [(start: Int, count: Int)] {
        var result: [(Int, Int)] = []
        for number in numbers.sorted() {
            if let last = result.last, last.0 + last.1 == number {
                result[result.count - 1].1 += 1
            } else {
                result.append((number, 1))
            }
        }
        return result
    }

    private static func appendTable(_ listed: [Int: PDFXRefEntry], includeZero: Bool, to out: inout [UInt8]) {
        var numbers = Array(listed.keys)
        if includeZero { numbers.append(0) }
        for run in runs(numbers) {
            out.append(contentsOf: "\(run.start) \(run.count)\n".utf8)
            for number in run.start..<(run.start + run.count) {
                var offset = 0
                var generation = 65535
                var type = "f"
                if case .offset(let value, let gen)? = listed[number] {
                    offset = value
                    generation = gen
                    type = "n"
                }
                let offsetText = String(offset)
                let generationText = String(generation)
                out.append(contentsOf: String(repeating: "0", count: max(0, 10 - offsetText.count)).utf8)
                out.append(contentsOf: offsetText.utf8)
                out.append(UInt8(ascii: " "))
                out.append(contentsOf: String(repeating: "0", count: max(0, 5 - generationText.count)).utf8)
                out.append(contentsOf: generationText.utf8)
                out.append(contentsOf: " \(type)\r\n".utf8)
            }
        }
    }

    private static func xrefStreamData(_ listed: [Int: PDFXRefEntry], includeZero: Bool)
        -> (data: [UInt8], widths: [Int], index: [Int])
    {
        var numbers = Array(listed.keys)
        if includeZero { numbers.append(0) }
        var maxField2 = 0
        var maxField3 = 0
        for entry in listed.values {
            switch entry {
            case .offset(let offset, let generation):
                maxField2 = max(maxField2, offset)
                maxField3 = max(maxField3, generation)
            case .compressed(let stream, let index):
                maxField2 = max(maxField2, stream)
                maxField3 = max(maxField3, index)
            case .free(let generation): maxField3 = max(maxField3, generation)
            }
        }
        func width(_ value: Int) -> Int {
            var width = 1
            while width < 8, value >> (8 * width) != 0 { width += 1 }
            return width
        }
        let widths = [1, width(maxField2), max(1, width(maxField3))]
        var data: [UInt8] = []
        var index: [Int] = []
        func put(_ value: Int, _ width: Int) {
            for shift in stride(from: (width - 1) * 8, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: value >> shift)) }
        }
        for run in runs(numbers) {
            index += [run.start, run.count]
            for number in run.start..<(run.start + run.count) {
                switch listed[number] {
                case .offset(let offset, let generation)?:
                    put(1, 1); put(offset, widths[1]); put(generation, widths[2])
                case .compressed(let stream, let position)?:
                    put(2, 1); put(stream, widths[1]); put(position, widths[2])
                case .free(let generation)?:
                    put(0, 1); put(0, widths[1]); put(generation, widths[2])
                case nil:
                    put(0, 1); put(0, widths[1]); put(number == 0 ? 0 : 0, widths[2])
                }
            }
        }
        return (data, widths, index)
    }
}
