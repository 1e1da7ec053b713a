import Foundation
import SealCompression
import Synchronization

/// Adobe's predefined CMaps that a Type0 font may name as its `/Encoding` (ISO 32000 §9.7.5.2), and the
/// CID → Unicode table of their character collection, for fonts without a `/ToUnicode` CMap.
///
/// Carried: Identity-H/V, and for Adobe-GB1 (simplified Chinese) UniGB-UCS2-H/V, UniGB-UTF16-H/V, GBK-EUC-H/V,
/// GB-EUC-H/V and GBpc-EUC-H/V, plus Adobe-GB1's CID → Unicode table. The tables are generated from Adobe's
/// CMap resources by `scripts/gen-cid-tables.py` into ``packedTables`` (deflated, base64) and decoded on first
/// use, one table at a time; see `scripts/README-cid-tables.md` for origin and licence (Adobe, BSD-3-Clause).
enum PredefinedCMaps {
    /// The predefined CMap `name`, or nil when it is not one SealPress carries.
    static func cmap(named name: String) -> CMap? {
        switch name {
        case "Identity-H": return CMap.identity(vertical: false)
        case "Identity-V": return CMap.identity(vertical: true)
        default: break
        }
        guard let store, store.directory[name]?.kind == 0 else { return nil }
        return store.cmap(name)
    }

    /// The character collection (`Registry-Ordering`) a carried predefined CMap belongs to.
    static func collection(ofCMap name: String) -> String? {
        guard let store, store.directory[name]?.kind == 0 else { return nil }
        return "Adobe-GB1"
    }

    /// The CID → Unicode table of a character collection such as `Adobe-GB1`, or nil when it is not carried.
    static func unicodeTable(forCollection collection: String) -> CIDUnicodeTable? {
        guard let store, store.directory[collection]?.kind == 1 else { return nil }
        return store.unicodeTable(collection)
    }

    /// The decoded tables; nil only if the generated data were damaged (then fonts fall back to default widths).
    private static let store: Store? = Store(packed: packedTables)
}

/// CID → Unicode scalar, as sorted runs (consecutive CIDs with consecutive scalars).
struct CIDUnicodeTable: Sendable {
    fileprivate var runs: PredefinedCMaps.Runs

    /// The text of a CID, or nil when the collection gives it none.
    func text(for cid: Int) -> String? {
        guard cid >= 0, cid <= Int(UInt32.max), let value = runs.value(for: UInt32(cid)),
            let scalar = Unicode.Scalar(value)
        else { return nil }
        return String(Character(scalar))
    }
}

extension PredefinedCMaps {
    /// Sorted, non-overlapping runs: codes `starts[i] ..< starts[i] + counts[i]` map to `values[i]` onwards.
    fileprivate struct Runs: Sendable {
        var starts: [UInt32] = []
        var counts: [UInt32] = []
        var values: [UInt32] = []

        init(_ entries: [UInt32: UInt32]) {
            for (code, value) in entries.sorted(by: { $0.key < $1.key }) {
                if let last = starts.indices.last, starts[last] &+ counts[last] == code,
                    values[last] &+ counts[last] == value
                {
                    counts[last] += 1
                } else {
                    starts.append(code)
                    counts.append(1)
                    values.append(value)
                }
            }
        }

        func value(for code: UInt32) -> UInt32? {
            var lower = 0, upper = starts.count
            while lower < upper {
                let middle = (lower + upper) / 2
                if starts[middle] <= code { lower = middle + 1 } else { upper = middle }
            }
            let index = lower - 1
            guard index >= 0, code - starts[index] < counts[index] else { return nil }
            return values[index] + (code - starts[index])
        }
    }

    /// One table's place in the decoded data.
    fileprivate struct Entry: Sendable {
        var kind: UInt8
        var base: String
        var baseLimit: UInt32
        var inverse: Bool
        var removed: [(start: UInt32, count: UInt32)]
        var overrides: [(start: UInt32, count: UInt32, value: UInt32)]
        var isVertical = false
        var codespaces: [CMap.CodespaceRange] = []
    }

    /// The decoded directory plus a cache of the tables built so far (each built once per process).
    fileprivate final class Store: Sendable {
        let directory: [String: Entry]
        private let built = Mutex<[String: [UInt32: UInt32]]>([:])
        private let cmaps = Mutex<[String: CMap]>([:])
        private let unicodeTables = Mutex<[String: CIDUnicodeTable]>([:])

        init?(packed: String) {
            guard let compressed = Data(base64Encoded: packed, options: .ignoreUnknownCharacters),
                let bytes = try? Zlib.inflate(compressed, format: .zlib, outputLimit: 1 << 22),
                let directory = Self.parse(bytes)
            else { return nil }
            self.directory = directory
        }

        func cmap(_ name: String) -> CMap? {
            if let cached = cmaps.withLock({ $0[name] }) { return cached }
            guard let entry = directory[name] else { return nil }
            var cmap = CMap()
            cmap.codespaces = entry.codespaces
            cmap.isVertical = entry.isVertical
            let runs = Runs(entries(name))
            cmap.cidRanges = runs.starts.indices.map { index in
                CMap.CIDRange(
                    low: runs.starts[index], high: runs.starts[index] + runs.counts[index] - 1,
                    firstCID: Int(runs.values[index]))
            }
            cmaps.withLock { $0[name] = cmap }
            return cmap
        }

        func unicodeTable(_ name: String) -> CIDUnicodeTable? {
            if let cached = unicodeTables.withLock({ $0[name] }) { return cached }
            guard directory[name] != nil else { return nil }
            let table = CIDUnicodeTable(runs: Runs(entries(name)))
            unicodeTables.withLock { $0[name] = table }
            return table
        }

        /// A table's entries: its base's (filtered or inverted), minus the removed codes, plus its own runs.
        private func entries(_ name: String, depth: Int = 0) -> [UInt32: UInt32] {
            if let cached = built.withLock({ $0[name] }) { return cached }
            guard let entry = directory[name], depth < 8 else { return [:] }
            var result: [UInt32: UInt32] = [:]
            if !entry.base.isEmpty {
                let base = entries(entry.base, depth: depth + 1)
                if entry.inverse {
                    // Each CID's smallest Unicode scalar among the codes (UTF-16 code units) mapped to it.
                    for (code, cid) in base {
                        let scalar = Self.scalar(ofUTF16Code: code)
                        if let existing = result[cid], existing <= scalar { continue }
                        result[cid] = scalar
                    }
                } else {
                    result.reserveCapacity(base.count)
                    for (code, value) in base where entry.baseLimit == 0 || code <= entry.baseLimit {
                        result[code] = value
                    }
                }
            }
            for run in entry.removed {
                for offset in 0..<run.count { result[run.start + offset] = nil }
            }
            for run in entry.overrides {
                for offset in 0..<run.count { result[run.start + offset] = run.value + offset }
            }
            built.withLock { $0[name] = result }
            return result
        }

        private static func scalar(ofUTF16Code code: UInt32) -> UInt32 {
            guard code > 0xFFFF else { return code }
            return 0x10000 + ((code >> 16) - 0xD800) << 10 + ((code & 0xFFFF) - 0xDC00)
        }

        // MARK: - Decoding

        private static func parse(_ bytes: [UInt8]) -> [String: Entry]? {
            var reader = Reader(bytes: bytes)
            guard reader.take(4) == Array("SPCM".utf8), reader.byte() == 1, let count = reader.varint() else {
                return nil
            }
            var directory: [String: Entry] = [:]
            for _ in 0..<count {
                guard let name = reader.name(), let kind = reader.byte(), let base = reader.name(),
                    let limit = reader.varint(), let inverse = reader.byte(), let removedCount = reader.varint()
                else { return nil }
                var entry = Entry(
                    kind: kind, base: base, baseLimit: limit, inverse: inverse == 1, removed: [], overrides: [])
                var end: UInt32 = 0
                for _ in 0..<removedCount {
                    guard let delta = reader.varint(), let length = reader.varint() else { return nil }
                    entry.removed.append((end &+ delta, length &+ 1))
                    end = end &+ delta &+ length &+ 1
                }
                guard let runCount = reader.varint() else { return nil }
                end = 0
                var valueEnd: Int64 = 0
                for _ in 0..<runCount {
                    guard let delta = reader.varint(), let length = reader.varint(), let zigzag = reader.varint() else {
                        return nil
                    }
                    let valueDelta = zigzag & 1 == 0 ? Int64(zigzag >> 1) : -Int64(zigzag >> 1) - 1
                    let start = end &+ delta
                    let value = valueEnd + valueDelta
                    guard value >= 0, value <= Int64(UInt32.max) else { return nil }
                    entry.overrides.append((start, length &+ 1, UInt32(value)))
                    end = start &+ length &+ 1
                    valueEnd = value + Int64(length) + 1
                }
                if kind == 0 {
                    guard let mode = reader.byte(), let spaces = reader.byte() else { return nil }
                    entry.isVertical = mode == 1
                    for _ in 0..<spaces {
                        guard let length = reader.byte(), let low = reader.take(Int(length)),
                            let high = reader.take(Int(length))
                        else { return nil }
                        entry.codespaces.append(CMap.CodespaceRange(low: low, high: high))
                    }
                }
                directory[name] = entry
            }
            return directory
        }
    }

    private struct Reader {
        var bytes: [UInt8]
        var offset = 0

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func take(_ count: Int) -> [UInt8]? {
            guard count >= 0, offset + count <= bytes.count else { return nil }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }

        mutating func varint() -> UInt32? {
            var value: UInt32 = 0
            for shift in stride(from: 0, through: 28, by: 7) {
                guard let byte = byte() else { return nil }
                value |= UInt32(byte & 0x7F) << UInt32(shift)
                if byte < 0x80 { return value }
            }
            return nil
        }

        mutating func name() -> String? {
            guard let length = varint(), let bytes = take(Int(length)) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
