import ElectronicSeal
/// One character found on an OFD page: its text and its box in OFD page space (mm, origin top-left, y down).
public struct OFDTextGlyph: Sendable, Hashable {
    public var text: String
    public var box: OFDBox
}

/// One occurrence of a keyword on an OFD page.
public struct OFDKeywordMatch: Sendable, Hashable {
    /// 1-based page number.
    public var page: Int
    public var keyword: String
    /// The union of the matched characters' boxes, in OFD page space (mm, origin top-left, y down).
    public var box: OFDBox
}

/// Finds text on OFD pages (GB/T 33190 §11): `TextObject`s of the page's template(s) and layers, including
/// those inside `PageBlock`s, placed by `Boundary`, `CTM`, `Size` and each `TextCode`'s `X`/`Y`/`DeltaX`/`DeltaY`
/// (with the `g` repetition syntax).
///
/// A character's box runs from its position to the next character's (at most one em for CJK, half an em
/// otherwise; the last character gets its nominal width) and from 0.88 em above the baseline to 0.12 em below,
/// cut to the object's `Boundary` (which clips it).
/// Keywords match in content order with white space ignored, across adjacent `TextCode`s and `TextObject`s.
public final class OFDTextLocator {
    public let package: OFDPackage
    public let document: OFDDocument
    private var templates: [String: String] = [:]
    /// Most characters collected for one page.
    public var maxGlyphs = 2_000_000

    public init(package: OFDPackage) throws(OFDError) {
        self.package = package
        self.document = try OFDDocument(package: package)
        if let root = try? package.xml(document.documentPath) {
            for template in root.child("CommonData")?.children("TemplatePage") ?? [] {
                guard let id = template.attribute("ID"), let location = template.attribute("BaseLoc"),
                    let path = package.locate(location, from: document.documentPath)
                else { continue }
                templates[id] = path
            }
        }
    }

    public convenience init(bytes: [UInt8]) throws(OFDError) {
        try self.init(package: try OFDPackage(bytes))
    }

    public var pageCount: Int { document.pages.count }

    /// The page's characters in drawing order: background templates, the page's layers, foreground templates.
    public func glyphs(page: Int) throws(OFDError) -> [OFDTextGlyph] {
        guard page >= 1, page <= document.pages.count else {
            throw OFDError(.pageNotFound, "page \(page) does not exist (the document has \(document.pages.count))")
        }
        guard let contentPath = document.pages[page - 1].contentPath else { return [] }
        let content = try package.xml(contentPath)
        var background: [XMLElement] = [], foreground: [XMLElement] = []
        for template in content.children("Template") {
            guard let id = template.attribute("TemplateID"), let path = templates[id], let xml = try? package.xml(path)
            else { continue }
            if template.attribute("ZOrder") == "Foreground" { foreground.append(xml) } else { background.append(xml) }
        }
        var glyphs: [OFDTextGlyph] = []
        for root in background + [content] + foreground {
            for layer in root.child("Content")?.children("Layer") ?? [] {
                try collect(layer, into: &glyphs, depth: 0)
            }
        }
        return glyphs
    }

    /// The page's text in drawing order.
    public func text(page: Int) throws(OFDError) -> String { try glyphs(page: page).map(\.text).joined() }

    /// Every occurrence of each keyword on the chosen pages (nil: all pages).
    public func find(_ keywords: [String], pages: ClosedRange<Int>? = nil) throws(OFDError) -> [OFDKeywordMatch] {
        let count = document.pages.count
        guard keywords.contains(where: { !KeywordMatcher.fold($0).isEmpty }), count > 0 else { return [] }
        guard let range = KeywordMatcher.pages(pages, count: count) else { return [] }
        var matches: [OFDKeywordMatch] = []
        for page in range {
            let glyphs = try self.glyphs(page: page)
            for match in KeywordMatcher.matches(of: keywords, in: glyphs.map(\.text)) {
                var box = glyphs[match.glyphs.lowerBound].box
                for index in match.glyphs { box = Self.union(box, glyphs[index].box) }
                matches.append(OFDKeywordMatch(page: page, keyword: match.keyword, box: box))
            }
        }
        return matches
    }

    // MARK: - Objects

    private func collect(_ element: XMLElement, into glyphs: inout [OFDTextGlyph], depth: Int) throws(OFDError) {
        guard depth < 64 else { return }
        for child in element.children {
            switch child.localName {
            case "TextObject": try text(child, into: &glyphs)
            case "PageBlock": try collect(child, into: &glyphs, depth: depth + 1)
            default: continue
            }
        }
    }

    private func text(_ object: XMLElement, into glyphs: inout [OFDTextGlyph]) throws(OFDError) {
        guard let boundary = object.attribute("Boundary").flatMap({ OFDBox(stBox: $0) }) else { return }
        let size = object.attribute("Size").flatMap(Double.init).flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? 3.5
        var ctm = [1.0, 0, 0, 1, 0, 0]
        if let values = object.attribute("CTM").map(Self.numbers), values.count == 6, values.allSatisfy(\.isFinite) {
            ctm = values
        }
        var penX = 0.0, penY = 0.0
        for code in object.children("TextCode") {
            let scalars = Array(code.text.unicodeScalars)
            if let x = code.attribute("X").flatMap(Double.init), x.isFinite { penX = x }
            if let y = code.attribute("Y").flatMap(Double.init), y.isFinite { penY = y }
            let deltaX = Self.deltas(code.attribute("DeltaX"), count: max(0, scalars.count - 1))
            let deltaY = Self.deltas(code.attribute("DeltaY"), count: max(0, scalars.count - 1))
            let vertical = !deltaY.isEmpty && deltaX.isEmpty
            for (index, scalar) in scalars.enumerated() {
                let nominal = Self.isWide(scalar) ? size : size / 2
                let advanceX = index < deltaX.count ? deltaX[index] : (vertical ? 0 : nominal)
                let advanceY = index < deltaY.count ? deltaY[index] : 0
                let width = vertical ? size : (advanceX > 0 ? min(advanceX, nominal) : nominal)
                let corners = [
                    (penX, penY - 0.88 * size), (penX + width, penY - 0.88 * size), (penX + width, penY + 0.12 * size),
                    (penX, penY + 0.12 * size),
                ].map { point in
                    (
                        ctm[0] * point.0 + ctm[2] * point.1 + ctm[4] + boundary.xMM,
                        ctm[1] * point.0 + ctm[3] * point.1 + ctm[5] + boundary.yMM
                    )
                }
                // The Boundary clips the object (GB/T 33190 §8.5): a box is cut to it when they overlap.
                var minX = corners.map(\.0).min()!, maxX = corners.map(\.0).max()!
                var minY = corners.map(\.1).min()!, maxY = corners.map(\.1).max()!
                let clipped = (
                    max(minX, boundary.xMM), min(maxX, boundary.xMM + boundary.widthMM), max(minY, boundary.yMM),
                    min(maxY, boundary.yMM + boundary.heightMM)
                )
                if clipped.0 < clipped.1, clipped.2 < clipped.3 { (minX, maxX, minY, maxY) = clipped }
                glyphs.append(
                    OFDTextGlyph(
                        text: String(Character(scalar)),
                        box: OFDBox(xMM: minX, yMM: minY, widthMM: maxX - minX, heightMM: maxY - minY)))
                guard glyphs.count <= maxGlyphs else {
                    throw OFDError(.malformedDocument, "a page shows more than \(maxGlyphs) characters")
                }
                penX += advanceX
                penY += advanceY
            }
        }
    }

    // MARK: - Helpers

    /// Expands a `DeltaX`/`DeltaY` list (`g N d` repeats `d` N times), never past `count` entries.
    static func deltas(_ text: String?, count: Int) -> [Double] {
        guard let text, count > 0 else { return [] }
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "," })
        var result: [Double] = []
        var index = 0
        while index < tokens.count, result.count < count {
            if tokens[index] == "g" {
                guard index + 2 < tokens.count, let repeats = Int(tokens[index + 1]), repeats >= 0,
                    let value = Double(tokens[index + 2]), value.isFinite
                else { break }
                result += repeatElement(value, count: min(repeats, count - result.count))
                index += 3
            } else {
                guard let value = Double(tokens[index]), value.isFinite else { break }
                result.append(value)
                index += 1
            }
        }
        return result
    }

    static func numbers(_ text: String) -> [Double] {
        text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .compactMap { Double($0) }
    }

    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
            || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value)
            || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
            || (0xFFE0...0xFFE6).contains(value) || value >= 0x20000
    }

    static func union(_ a: OFDBox, _ b: OFDBox) -> OFDBox {
        let minX = min(a.xMM, b.xMM), minY = min(a.yMM, b.yMM)
        let maxX = max(a.xMM + a.widthMM, b.xMM + b.widthMM), maxY = max(a.yMM + a.heightMM, b.yMM + b.heightMM)
        return OFDBox(xMM: minX, yMM: minY, widthMM: maxX - minX, heightMM: maxY - minY)
    }
}
