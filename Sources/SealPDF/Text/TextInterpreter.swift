/// Runs a page's content streams (and the Form XObjects they draw) far enough to know where every glyph lands.
///
/// Only the operators that move text or change the coordinate system are interpreted (§8.4.4, §9.3, §9.4);
/// painting is ignored. Work is bounded by ``PDFTextLimits``: operators, decoded bytes, form nesting and
/// glyph count; a form that draws itself is skipped.
final class TextInterpreter {
    /// A glyph as found: its text and the four corners of its box in the page's default user space.
    struct Glyph {
        var text: GlyphText
        var corners: Quad
    }

    /// A glyph's text without a `String` per glyph (the glyph list is then plain data, cheap to grow and free):
    /// one scalar, the common case, or an index into ``longTexts``.
    enum GlyphText {
        case scalar(Unicode.Scalar)
        case long(Int)
    }

    /// Four points, kept inline (a glyph's box corners, in the order they were computed).
    struct Quad {
        var p0: (x: Double, y: Double)
        var p1: (x: Double, y: Double)
        var p2: (x: Double, y: Double)
        var p3: (x: Double, y: Double)
    }

    private struct GraphicsState {
        var ctm = TextMatrix.identity
        var font: TextFont?
        var fontSize = 0.0
        var charSpacing = 0.0
        var wordSpacing = 0.0
        var horizontalScaling = 1.0
        var leading = 0.0
        var rise = 0.0
    }

    private let document: PDFDocument
    private let limits: PDFTextLimits
    private var fonts: [PDFReference: TextFont] = [:]
    /// `Tf` lookups by resource name within the content being interpreted (its resources do not change).
    private var fontsByName: [PDFName: TextFont?] = [:]
    private var forms: [PDFReference: [UInt8]] = [:]
    private var operators = 0
    private var contentBytes = 0
    private(set) var glyphs: [Glyph] = []
    /// The texts of glyphs that are not one scalar (ligatures, multi-scalar /ToUnicode entries).
    private(set) var longTexts: [String] = []
    /// Reused for the characters of each shown string.
    private var characterBuffer: [TextFont.Character] = []

    private var state = GraphicsState()
    private var stack: [GraphicsState] = []
    private var unstoredSaves = 0
    private var textMatrix = TextMatrix.identity
    private var lineMatrix = TextMatrix.identity
    private var formChain: [PDFReference] = []

    init(document: PDFDocument, limits: PDFTextLimits) {
        self.document = document
        self.limits = limits
    }

    /// Interprets one page; the glyphs are in ``glyphs`` afterwards.
    func run(page: PDFPage) throws(PDFError) {
        glyphs.removeAll(keepingCapacity: true)
        longTexts.removeAll()
        operators = 0
        contentBytes = 0
        state = GraphicsState()
        stack = []
        unstoredSaves = 0
        textMatrix = .identity
        lineMatrix = .identity
        var data: [UInt8] = []
        if let contents = page.dictionary["Contents"] {
            switch try document.resolve(contents) {
            case .stream(let stream):
                data = try decoded(stream)
            case .array(let items):
                for item in items.prefix(10_000) {
                    guard case .stream(let stream) = try document.resolve(item) else { continue }
                    data += try decoded(stream)
                    data.append(10)  // streams are concatenated as if separated by whitespace
                }
            default: break
            }
        }
        let resources = try document.resolveDictionary(page.resources) ?? PDFDictionary()
        // A shown byte makes at most one glyph: reserving for the content's size (bounded) saves the list's
        // regrowth on a page of text.
        glyphs.reserveCapacity(min(data.count, 16_384, limits.maxGlyphs))
        try interpret(data, resources: resources)
        try drawAnnotations(page, resources: resources)
    }

    /// Draws the normal appearances of the page's visible annotations (form fields' values, stamps), as viewers
    /// and poppler do: the appearance's BBox, transformed by its Matrix, is fitted into the annotation's Rect
    /// (ISO 32000 §12.5.5).
    private func drawAnnotations(_ page: PDFPage, resources: PDFDictionary) throws(PDFError) {
        guard let annotations = try document.value(page.dictionary, "Annots")?.arrayValue else { return }
        for entry in annotations.prefix(10_000) {
            guard let annotation = try document.resolveDictionary(entry) else { continue }
            let flags = try document.value(annotation, "F")?.integerValue ?? 0
            guard flags & (2 | 32) == 0 else { continue }  // Hidden, NoView
            guard let rectItems = try document.value(annotation, "Rect")?.arrayValue, rectItems.count == 4 else {
                continue
            }
            var corners: [PDFObject] = []
            for item in rectItems { corners.append(try document.resolve(item)) }
            guard let rect = PDFRect(.array(corners)),
                let appearances = try document.resolveDictionary(annotation["AP"]), var normal = appearances["N"]
            else { continue }
            if case .dictionary(let states) = try document.resolve(normal) {
                guard let state = try document.value(annotation, "AS")?.nameValue, let chosen = states[state] else {
                    continue
                }
                normal = chosen
            }
            guard case .reference(let ref) = normal, case .stream(let stream) = try document.object(ref) else {
                continue
            }
            var matrix = TextMatrix.identity
            if let values = try document.value(stream.dictionary, "Matrix")?.arrayValue?.compactMap(\.numberValue),
                let given = TextMatrix(values)
            {
                matrix = given
            }
            var boxItems: [Double] = []
            for item in try document.value(stream.dictionary, "BBox")?.arrayValue ?? [] {
                if let value = try document.resolve(item).numberValue { boxItems.append(value) }
            }
            guard boxItems.count == 4, let box = PDFRect(.array(boxItems.map { .real($0) })) else { continue }
            let transformed = [(box.llx, box.lly), (box.urx, box.lly), (box.urx, box.ury), (box.llx, box.ury)]
                .map { matrix.apply($0.0, $0.1) }
            let minX = transformed.map(\.x).min()!, maxX = transformed.map(\.x).max()!
            let minY = transformed.map(\.y).min()!, maxY = transformed.map(\.y).max()!
            guard maxX - minX > 1e-9, maxY - minY > 1e-9 else { continue }
            let sx = rect.widthPoints / (maxX - minX), sy = rect.heightPoints / (maxY - minY)
            state = GraphicsState()
            state.ctm = TextMatrix(a: sx, b: 0, c: 0, d: sy, e: rect.llx - minX * sx, f: rect.lly - minY * sy)
            stack = []
            unstoredSaves = 0
            try drawForm(ref, stream: stream, resources: resources)
        }
    }

    private func decoded(_ stream: PDFStream) throws(PDFError) -> [UInt8] {
        let data = try document.decodedData(of: stream)
        try chargeBytes(data.count)
        return data
    }

    private func chargeBytes(_ count: Int) throws(PDFError) {
        contentBytes += count
        guard contentBytes <= limits.maxContentBytes else {
            throw PDFError(.limitExceeded, "page content larger than \(limits.maxContentBytes) bytes")
        }
    }

    // MARK: - Operators

    private func interpret(_ data: [UInt8], resources: PDFDictionary) throws(PDFError) {
        let outerFonts = fontsByName
        fontsByName = [:]
        defer { fontsByName = outerFonts }
        var lexer = ContentStreamLexer(bytes: data)
        var operands: [PDFObject] = []
        while let token = lexer.nextCoded() {
            switch token {
            case .operand(let object):
                operands.append(object)
                if operands.count > limits.maxOperands { operands.removeFirst() }
            case .operator(let code):
                operators += 1
                guard operators <= limits.maxOperators else {
                    throw PDFError(.limitExceeded, "page content has more than \(limits.maxOperators) operators")
                }
                try execute(code, operands, resources: resources)
                operands.removeAll(keepingCapacity: true)
            }
        }
    }

    /// The last operand as a finite number.
    private func number(_ operands: [PDFObject]) -> Double? {
        guard let value = operands.last?.numberValue, value.isFinite else { return nil }
        return value
    }

    /// The last two operands as finite numbers.
    private func twoNumbers(_ operands: [PDFObject]) -> (Double, Double)? {
        let count = operands.count
        guard count >= 2, let first = operands[count - 2].numberValue, first.isFinite,
            let second = operands[count - 1].numberValue, second.isFinite
        else { return nil }
        return (first, second)
    }

    private func numbers(_ operands: [PDFObject], _ count: Int) -> [Double]? {
        guard operands.count >= count else { return nil }
        let values = operands.suffix(count).compactMap(\.numberValue)
        guard values.count == count, values.allSatisfy(\.isFinite) else { return nil }
        return values
    }

    /// The operators interpreted, as their ``ContentStreamLexer/code(_:)`` (literals, so the dispatch compares
    /// constants; `TextLocatorTests` checks them against `code(_:)`).
    enum Op {
        static let all: [(word: String, code: UInt32)] = [
            ("Tj", Tj),
            ("TJ", TJ),
            ("Td", Td),
            ("TD", TD),
            ("Tf", Tf),
            ("Tm", Tm),
            ("BT", BT),
            ("ET", ET),
            ("q", q),
            ("Q", Q),
            ("cm", cm),
            ("Do", Do),
            ("Tc", Tc),
            ("Tw", Tw),
            ("Tz", Tz),
            ("TL", TL),
            ("Ts", Ts),
            ("T*", TStar),
            ("'", quote),
            ("\"", doubleQuote),
        ]
        static let Tj: UInt32 = 0x0254_6A00
        static let TJ: UInt32 = 0x0254_4A00
        static let Td: UInt32 = 0x0254_6400
        static let TD: UInt32 = 0x0254_4400
        static let Tf: UInt32 = 0x0254_6600
        static let Tm: UInt32 = 0x0254_6D00
        static let BT: UInt32 = 0x0242_5400
        static let ET: UInt32 = 0x0245_5400
        static let q: UInt32 = 0x0171_0000
        static let Q: UInt32 = 0x0151_0000
        static let cm: UInt32 = 0x0263_6D00
        static let Do: UInt32 = 0x0244_6F00
        static let Tc: UInt32 = 0x0254_6300
        static let Tw: UInt32 = 0x0254_7700
        static let Tz: UInt32 = 0x0254_7A00
        static let TL: UInt32 = 0x0254_4C00
        static let Ts: UInt32 = 0x0254_7300
        static let TStar: UInt32 = 0x0254_2A00
        static let quote: UInt32 = 0x0127_0000
        static let doubleQuote: UInt32 = 0x0122_0000
    }

    private func execute(_ code: UInt32, _ operands: [PDFObject], resources: PDFDictionary) throws(PDFError) {
        // Operators are compared as numbers; the operators of ordinary text come first.
        switch code {
        case Op.Tj:
            guard let string = operands.last?.stringValue else { return }
            try show(string.bytes)
        case Op.TJ:
            guard let items = operands.last?.arrayValue else { return }
            for item in items {
                if let string = item.stringValue {
                    try show(string.bytes)
                } else if let adjustment = item.numberValue, adjustment.isFinite {
                    let shift = -adjustment / 1000 * state.fontSize
                    if state.font?.isVertical == true {
                        textMatrix = textMatrix.translatedBefore(0, shift)
                    } else {
                        textMatrix = textMatrix.translatedBefore(shift * state.horizontalScaling, 0)
                    }
                }
            }
        case Op.Td:
            guard let (tx, ty) = twoNumbers(operands) else { return }
            moveLine(tx, ty)
        case Op.Tf:
            guard operands.count >= 2, let size = operands[operands.count - 1].numberValue, size.isFinite,
                let fontName = operands[operands.count - 2].nameValue
            else { return }
            state.fontSize = size
            if let known = fontsByName[fontName] {
                state.font = known
            } else {
                let font = try font(named: fontName, resources: resources)
                fontsByName[fontName] = .some(font)
                state.font = font
            }
        case Op.BT:
            textMatrix = .identity
            lineMatrix = .identity
        case Op.ET:
            break
        case Op.q:
            if stack.count < limits.maxGraphicsStateDepth { stack.append(state) } else { unstoredSaves += 1 }
        case Op.Q:
            if unstoredSaves > 0 { unstoredSaves -= 1 } else if let saved = stack.popLast() { state = saved }
        case Op.cm:
            guard let values = numbers(operands, 6), let matrix = TextMatrix(values) else { return }
            let ctm = matrix.concatenating(state.ctm)
            if ctm.isFinite { state.ctm = ctm }
        case Op.Tc: if let value = number(operands) { state.charSpacing = value }
        case Op.Tw: if let value = number(operands) { state.wordSpacing = value }
        case Op.Tz: if let value = number(operands) { state.horizontalScaling = value / 100 }
        case Op.TL: if let value = number(operands) { state.leading = value }
        case Op.Ts: if let value = number(operands) { state.rise = value }
        case Op.TD:
            guard let (tx, ty) = twoNumbers(operands) else { return }
            state.leading = -ty
            moveLine(tx, ty)
        case Op.Tm:
            guard let values = numbers(operands, 6), let matrix = TextMatrix(values) else { return }
            textMatrix = matrix
            lineMatrix = matrix
        case Op.TStar:
            moveLine(0, -state.leading)
        case Op.quote:
            moveLine(0, -state.leading)
            guard let string = operands.last?.stringValue else { return }
            try show(string.bytes)
        case Op.doubleQuote:
            guard operands.count >= 3, let string = operands.last?.stringValue,
                let word = operands[operands.count - 3].numberValue, let char = operands[operands.count - 2].numberValue
            else { return }
            state.wordSpacing = word
            state.charSpacing = char
            moveLine(0, -state.leading)
            try show(string.bytes)
        case Op.Do:
            guard let xobjectName = operands.last?.nameValue else { return }
            try drawForm(named: xobjectName, resources: resources)
        default:
            break
        }
    }

    private func moveLine(_ tx: Double, _ ty: Double) {
        lineMatrix = lineMatrix.translatedBefore(tx, ty)
        textMatrix = lineMatrix
    }

    // MARK: - Text

    private func show(_ bytes: [UInt8]) throws(PDFError) {
        guard let font = state.font else { return }
        font.decode(bytes, into: &characterBuffer)
        // The loop works on locals (the glyph list is moved out and back), so it neither checks exclusive
        // access to the interpreter's properties per glyph nor copies the list.
        var found: [Glyph] = []
        swap(&found, &glyphs)
        var matrix = textMatrix
        defer {
            swap(&found, &glyphs)
            textMatrix = matrix
        }
        let size = state.fontSize, scale = state.horizontalScaling, ctm = state.ctm
        let charSpacing = state.charSpacing, wordSpacing = state.wordSpacing
        let isVertical = font.isVertical, ascent = font.ascent, descent = font.descent
        let maxGlyphs = limits.maxGlyphs
        // Text rendering matrix: [size·Th 0 0 size 0 rise] × Tm × CTM (§9.4.4).
        let textSpace = TextMatrix(a: size * scale, b: 0, c: 0, d: size, e: 0, f: state.rise)
        let characters = characterBuffer
        for character in characters {
            let rendering = textSpace.concatenating(matrix).concatenating(ctm)
            if rendering.isFinite, !character.text.isEmpty {
                let corners: Quad
                if isVertical {
                    let half = 1.0 / 2
                    corners = Quad(
                        p0: rendering.apply(-half, character.width), p1: rendering.apply(half, character.width),
                        p2: rendering.apply(half, 0), p3: rendering.apply(-half, 0))
                } else {
                    let width = character.width
                    corners = Quad(
                        p0: rendering.apply(0, descent), p1: rendering.apply(width, descent),
                        p2: rendering.apply(width, ascent), p3: rendering.apply(0, ascent))
                }
                found.append(Glyph(text: glyphText(character.text), corners: corners))
                guard found.count <= maxGlyphs else {
                    throw PDFError(.limitExceeded, "page shows more than \(maxGlyphs) glyphs")
                }
            }
            let spacing = charSpacing + (character.isWordSpace ? wordSpacing : 0)
            if isVertical {
                matrix = matrix.translatedBefore(0, character.width * size + spacing)
            } else {
                matrix = matrix.translatedBefore((character.width * size + spacing) * scale, 0)
            }
        }
    }

    /// The text of a glyph.
    func text(of glyph: Glyph) -> String {
        switch glyph.text {
        case .scalar(let scalar): String(Character(scalar))
        case .long(let index): longTexts[index]
        }
    }

    @inline(__always) private func glyphText(_ text: String) -> GlyphText {
        let utf8 = text.utf8
        if utf8.count == 1, let byte = utf8.first, byte < 0x80 { return .scalar(Unicode.Scalar(byte)) }
        var scalars = text.unicodeScalars.makeIterator()
        if let first = scalars.next(), scalars.next() == nil { return .scalar(first) }
        longTexts.append(text)
        return .long(longTexts.count - 1)
    }

    private func font(named name: PDFName, resources: PDFDictionary) throws(PDFError) -> TextFont? {
        guard let fonts = try document.resolveDictionary(resources["Font"]), let entry = fonts[name] else { return nil }
        if case .reference(let ref) = entry, let cached = self.fonts[ref] { return cached }
        guard let dictionary = try document.resolveDictionary(entry) else { return nil }
        let font = try TextFont(dictionary, document: document, limits: limits)
        if case .reference(let ref) = entry { self.fonts[ref] = font }
        return font
    }

    // MARK: - Form XObjects

    private func drawForm(named name: PDFName, resources: PDFDictionary) throws(PDFError) {
        guard let xobjects = try document.resolveDictionary(resources["XObject"]), let entry = xobjects[name],
            case .reference(let ref) = entry
        else { return }
        guard !formChain.contains(ref) else { return }  // a form drawing itself (directly or not) is skipped
        guard formChain.count < limits.maxFormDepth else {
            throw PDFError(.limitExceeded, "Form XObjects nested deeper than \(limits.maxFormDepth)")
        }
        guard case .stream(let stream) = try document.object(ref), stream.dictionary[.subtype]?.nameValue == "Form"
        else { return }
        try drawForm(ref, stream: stream, resources: resources)
    }

    private func drawForm(_ ref: PDFReference, stream: PDFStream, resources: PDFDictionary) throws(PDFError) {
        guard !formChain.contains(ref) else { return }
        guard formChain.count < limits.maxFormDepth else {
            throw PDFError(.limitExceeded, "Form XObjects nested deeper than \(limits.maxFormDepth)")
        }
        let data: [UInt8]
        if let cached = forms[ref] {
            data = cached
            try chargeBytes(cached.count)
        } else {
            data = try decoded(stream)
            forms[ref] = data
        }
        let formResources = try document.resolveDictionary(stream.dictionary["Resources"]) ?? resources
        let saved = (state, stack, unstoredSaves, textMatrix, lineMatrix)
        if let values = try document.value(stream.dictionary, "Matrix")?.arrayValue?.compactMap(\.numberValue),
            let matrix = TextMatrix(values)
        {
            let ctm = matrix.concatenating(state.ctm)
            if ctm.isFinite { state.ctm = ctm }
        }
        formChain.append(ref)
        defer { formChain.removeLast() }
        try interpret(data, resources: formResources)
        state = saved.0
        stack = saved.1
        unstoredSaves = saved.2
        textMatrix = saved.3
        lineMatrix = saved.4
    }
}
