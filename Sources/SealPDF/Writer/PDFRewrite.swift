import Foundation
import SealCrypto

/// Writes a document out in full as a single revision: every object in use, in number order, each a plain
/// indirect object (object streams unpacked, cross-reference streams dropped), then a fresh cross-reference table
/// and trailer. For an UNSIGNED document that was read only after a repair: an incremental update on top of broken
/// bytes leaves other readers (pyHanko, qpdf) to repair it again, differently; a rewrite leaves nothing to repair.
///
/// Never for a signed document (its signatures cover the original bytes) and not for an encrypted one (its objects
/// would have to be encrypted again under a new cross-reference; those keep the incremental update).
public enum PDFRewrite {
    /// The rewritten file.
    ///
    /// - Throws: ``PDFError`` `invalidArgument` for an encrypted document; reading errors of the document's objects
    ///   other than a missing or unparsable object, which is written as `null` (as readers treat a broken reference).
    public static func rewrite(_ document: PDFDocument) throws(PDFError) -> [UInt8] {
        guard !document.isEncrypted else {
            throw PDFError(.invalidArgument, "an encrypted document is not rewritten (its update stays incremental)")
        }
        var out: [UInt8] = []
        out.reserveCapacity(document.bytes.count + 4096)
        out.append(contentsOf: "%PDF-\(version(document.bytes))\n%".utf8)
        out.append(contentsOf: [0xE2, 0xE3, 0xCF, 0xD3, 10])
        var offsets: [Int: Int] = [:]
        for number in document.latestEntries.keys.sorted() {
            guard number > 0, number < Int(Int32.max) else { continue }
            let generation: Int
            switch document.latestEntries[number]! {
            case .free: continue
            case .offset(_, let gen): generation = gen
            case .compressed: generation = 0
            }
            let ref = PDFReference(number: number, generation: generation)
            let object: PDFObject
            do throws(PDFError) {
                object = try document.object(ref)
            } catch {
                if error.code == .limitExceeded { throw error }
                object = .null
            }
            // Containers of the old layout: their contents are written as objects of their own.
            if case .stream(let stream) = object, let type = stream.dictionary[.type]?.nameValue,
                type == "XRef" || type == "ObjStm"
            {
                continue
            }
            // A linearization dictionary describes byte offsets of the old file: written as null (the rewrite is
            // not linearized, and a stale one would mislead readers).
            if case .dictionary(let dictionary) = object, dictionary["Linearized"] != nil {
                offsets[number] = out.count
                out.append(contentsOf: "\(number) \(generation) obj\nnull\nendobj\n".utf8)
                continue
            }
            offsets[number] = out.count
            out.append(contentsOf: "\(number) \(generation) obj\n".utf8)
            PDFSerializer.write(object, to: &out)
            out.append(contentsOf: "\nendobj\n".utf8)
        }
        let size = (offsets.keys.max() ?? 0) + 1
        let xrefOffset = out.count
        out.append(contentsOf: "xref\n0 \(size)\n".utf8)
        out.append(contentsOf: "0000000000 65535 f\r\n".utf8)
        for number in 1..<max(size, 1) {
            let generation: Int = switch document.latestEntries[number] {
            case .offset(_, let gen)?: gen
            default: 0
            }
            if let offset = offsets[number] {
                out.append(contentsOf: "\(pad(offset, 10)) \(pad(generation, 5)) n\r\n".utf8)
            } else {
                out.append(contentsOf: "0000000000 \(pad(min(generation + 1, 65535), 5)) f\r\n".utf8)
            }
        }
        var trailer = PDFDictionary()
        trailer[.size] = .integer(size)
        for key in [PDFName.root, .info, .id] { if let value = document.trailer[key] { trailer[key] = value } }
        if trailer[.id] == nil {
            let id = PDFString(bytes: Array(Digest.hash(.sha256, document.bytes).prefix(16)), isHex: true)
            trailer[.id] = .array([.string(id), .string(id)])
        }
        out.append(contentsOf: "trailer\n".utf8)
        PDFSerializer.write(.dictionary(trailer), to: &out)
        out.append(contentsOf: "\nstartxref\n\(xrefOffset)\n%%EOF\n".utf8)
        return out
    }

    /// A repaired, unsigned, unencrypted document written out in full (``rewrite(_:)``) and read back without
    /// repair; nil when `document` needed no repair or is encrypted (its update stays incremental).
    ///
    /// - Throws: ``PDFStampError`` `unreadableDocument` when the repaired document is signed (a repair would
    ///   invalidate its signatures) or the rewrite does not read back.
    public static func cleanCopy(ofRepaired document: PDFDocument) throws(PDFStampError) -> PDFDocument? {
        guard document.wasRepaired, !document.isEncrypted else { return nil }
        let signed: Bool
        do {
            signed = try SignatureFormState(document: document).hasSignatures
        } catch {
            throw PDFStampError(.unreadableDocument, "the repaired document's form cannot be read: \(error)")
        }
        if signed {
            throw PDFStampError(
                .unreadableDocument,
                "the cross-reference is broken and the document is already signed; a repair would invalidate its signatures")
        }
        do throws(PDFError) {
            let bytes = try rewrite(document)
            return try PDFDocument(bytes: bytes, options: PDFReadOptions(allowRepair: false))
        } catch {
            throw PDFStampError(.unreadableDocument, "the repaired document cannot be written out in full: \(error.reason)")
        }
    }

    /// The header's version (`1.7` from `%PDF-1.7`), `1.7` when unreadable.
    static func version(_ bytes: [UInt8]) -> String {
        let head = Array(bytes.prefix(1024))
        let marker = Array("%PDF-".utf8)
        guard let at = (0...max(0, head.count - marker.count - 3)).first(where: { Array(head[$0..<($0 + marker.count)]) == marker })
        else { return "1.7" }
        let digits = head[(at + marker.count)...].prefix { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
        let text = String(decoding: digits, as: UTF8.self)
        return text.range(of: #"^[12]\.[0-9]$"#, options: .regularExpression) != nil ? text : "1.7"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
