import ElectronicSeal
public import Foundation
import SealQueue
import SealCrypto
internal import Yams

/// Reads pipelines from YAML, reporting every problem with its line and column.
public enum PipelineLoader {
    /// Parses one pipeline document. Throws ``PipelineProblems`` listing every problem found (not just the first).
    public static func load(yaml: String, source: String = "<pipeline>") throws(PipelineProblems) -> Pipeline {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw PipelineProblems(source: source, problems: [syntaxProblem(error)])
        }
        guard let root, case .mapping(let mapping) = root else {
            throw PipelineProblems(
                source: source,
                problems: [PipelineProblem(line: root?.mark?.line, column: root?.mark?.column, message: "a pipeline is a mapping of keys such as name, seal, placements")])
        }
        var reader = MappingReader(mapping: mapping, context: "pipeline")
        let name = reader.requiredString("name")
        let description = reader.optionalString("description")
        let seal = reader.requiredString("seal")
        let placementNodes = reader.requiredSequence("placements")
        let formats = reader.optionalMapping("formats")
        let tsa = reader.optionalString("tsa")
        let lockNode = reader.node("lock")
        let allowRepair = reader.optionalBool("allow_repair") ?? false
        let verify = reader.optionalBool("verify_after_signing") ?? true
        let reason = reader.optionalString("reason")
        let location = reader.optionalString("location")
        let earlierText = reader.optionalString("earlier_signatures")
        let passwordText = reader.optionalString("password_ref")
        let maxBytesNode = reader.node("max_document_bytes")
        let maxPagesNode = reader.node("max_pages")
        let uniqueText = reader.optionalString("unique_within")
        let revocationText = reader.optionalString("revocation")
        let statusNodes = reader.optionalSequence("status_services")
        reader.rejectUnknownKeys()
        var problems = reader.problems
        // lock: true (OFD and PDF), false, or ofd (OFD only: a PDF with several signatures cannot be locked).
        var lock = false
        var lockPDF = false
        if let lockNode {
            if let bool = lockNode.bool {
                lock = bool
                lockPDF = bool
            } else if lockNode.string == "ofd" {
                lock = true
            } else {
                problems.append(reader.problem(at: "lock", "'lock' must be true, false or ofd (lock OFD documents only)"))
            }
        }

        if let name, name.range(of: "^[a-z0-9][a-z0-9._-]*$", options: .regularExpression) == nil {
            problems.append(reader.problem(at: "name", "name must be lower-case letters, digits, '.', '_' or '-'"))
        }

        var placements: [Placement] = []
        if let placementNodes {
            if placementNodes.isEmpty {
                problems.append(reader.problem(at: "placements", "at least one placement is required"))
            }
            for (index, node) in placementNodes.enumerated() {
                let (placement, placementProblems) = parsePlacement(node, index: index)
                problems += placementProblems
                if let placement { placements.append(placement) }
            }
        }

        var pdfFormat = PDFSignatureFormat.padesBB
        var ofdFormat = OFDSignatureFormat.sesV4
        if let formats {
            var formatReader = MappingReader(mapping: formats, context: "formats")
            if let text = formatReader.optionalString("pdf") {
                if let format = PDFSignatureFormat(rawValue: text) {
                    pdfFormat = format
                } else {
                    formatReader.report(
                        "pdf", "unknown PDF format '\(text)'; use one of "
                            + PDFSignatureFormat.allCases.map(\.rawValue).joined(separator: ", "))
                }
            }
            if let text = formatReader.optionalString("ofd") {
                if let format = OFDSignatureFormat(rawValue: text) {
                    ofdFormat = format
                } else {
                    formatReader.report(
                        "ofd", "unknown OFD format '\(text)'; use one of "
                            + OFDSignatureFormat.allCases.map(\.rawValue).joined(separator: ", "))
                }
            }
            formatReader.rejectUnknownKeys()
            problems += formatReader.problems
        }

        var tsaURL: URL?
        if let tsa {
            if let url = URL(string: tsa), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil {
                tsaURL = url
            } else {
                problems.append(reader.problem(at: "tsa", "tsa must be an http(s) URL of an RFC 3161 time-stamping authority"))
            }
        }
        if [.padesBT, .padesBLT, .padesBLTA].contains(pdfFormat) && tsaURL == nil && formats != nil {
            problems.append(reader.problem(at: "formats", "pdf format \(pdfFormat.rawValue) needs a tsa URL"))
        }

        if lockPDF && (placements.count > 1 || placements.contains { $0.pages == .every || $0.keyword?.occurrence == .all }) {
            problems.append(reader.problem(
                at: "lock",
                "lock: true cannot be honoured for PDF with several placements: a PDF is locked only by its first "
                    + "signature (a certification), which then forbids the others; use one placement, or 'lock: ofd' "
                    + "to lock OFD documents only"))
        }

        var earlierSignatures = EarlierSignaturesPolicy.integrity
        if let earlierText {
            if let policy = EarlierSignaturesPolicy(rawValue: earlierText) {
                earlierSignatures = policy
            } else {
                problems.append(reader.problem(
                    at: "earlier_signatures", "earlier_signatures must be integrity, full or ignore (how signatures the "
                        + "input already carries are judged after signing)"))
            }
        }
        var revocation = RevocationPolicy.soft
        if let revocationText {
            if let policy = RevocationPolicy(rawValue: revocationText) {
                revocation = policy
            } else {
                problems.append(reader.problem(
                    at: "revocation", "revocation must be soft, hard or off (how verify_after_signing checks CRL/OCSP "
                        + "status of the signer certificates)"))
            }
        }
        var passwordRef: PasswordReference?
        if let passwordText {
            passwordRef = PasswordReference(passwordText)
            if passwordRef == nil {
                problems.append(reader.problem(
                    at: "password_ref", "password_ref must be env:NAME or file:PATH (where the worker reads the "
                        + "password of encrypted inputs; never the password itself)"))
            }
        }

        var maxDocumentBytes: Int?
        if let maxBytesNode {
            maxDocumentBytes = maxBytesNode.int ?? maxBytesNode.string.flatMap(ByteCountText.bytes)
            if maxDocumentBytes.map({ $0 < 1 }) ?? true {
                problems.append(reader.problem(
                    at: "max_document_bytes", "'max_document_bytes' must be a size such as 20MB, 512KB or 1048576"))
            }
        }
        var maxPages: Int?
        if let maxPagesNode {
            maxPages = maxPagesNode.int
            if maxPages.map({ $0 < 1 }) ?? true {
                problems.append(reader.problem(at: "max_pages", "'max_pages' must be a whole number of pages, at least 1"))
            }
        }
        var uniqueWithin: Double?
        if let uniqueText {
            uniqueWithin = DurationText.seconds(uniqueText)
            if uniqueWithin.map({ $0 <= 0 }) ?? true {
                problems.append(reader.problem(at: "unique_within", "'unique_within' must be a duration such as 24h, 30m or 7d"))
            }
        }

        var statusServices: [URL] = []
        for (index, node) in (statusNodes ?? []).enumerated() {
            if let text = node.string, let url = StatusServiceURL.parse(text) {
                if !statusServices.contains(url) { statusServices.append(url) }
            } else {
                problems.append(PipelineProblem(
                    line: node.mark?.line, column: node.mark?.column,
                    message: "status_services[\(index)]: \(StatusServiceURL.requirement)"))
            }
        }

        guard problems.isEmpty, let name, let seal else {
            throw PipelineProblems(source: source, problems: problems.sorted())
        }
        var pipeline = Pipeline(
            name: name, description: description, seal: seal, placements: placements, pdfFormat: pdfFormat,
            ofdFormat: ofdFormat, tsaURL: tsaURL, lock: lock, lockPDF: lockPDF, allowRepair: allowRepair,
            verifyAfterSigning: verify, reason: reason,
            location: location)
        pipeline.earlierSignatures = earlierSignatures
        pipeline.passwordRef = passwordRef
        pipeline.maxDocumentBytes = maxDocumentBytes
        pipeline.maxPages = maxPages
        pipeline.uniqueWithinSeconds = uniqueWithin
        pipeline.revocation = revocation
        pipeline.statusServices = statusServices
        return pipeline
    }

    /// Loads a pipeline file.
    public static func load(contentsOf url: URL) throws(PipelineProblems) -> Pipeline {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PipelineProblems(
                source: url.path, problems: [PipelineProblem(line: nil, column: nil, message: "cannot read the file as UTF-8 text")])
        }
        return try load(yaml: text, source: url.path)
    }

    /// Loads every `*.yaml` / `*.yml` file of a directory, keyed by pipeline name, with the rules of
    /// ``PipelineValidation/validate(files:)`` (duplicate names are a problem). Throws the first file's problems.
    public static func loadDirectory(_ directory: URL) throws(PipelineProblems) -> [String: Pipeline] {
        let result = PipelineValidation.validate(files: PipelineValidation.files(in: directory))
        if let first = result.problems.first { throw first }
        return result.pipelines
    }

    // MARK: - Placements

    private static func parsePlacement(_ node: Node, index: Int) -> (Placement?, [PipelineProblem]) {
        guard case .mapping(let mapping) = node else {
            return (nil, [PipelineProblem(line: node.mark?.line, column: node.mark?.column, message: "placements[\(index)] must be a mapping with page, x_mm, y_mm (or keyword)")])
        }
        var reader = MappingReader(mapping: mapping, context: "placements[\(index)]")
        if reader.node("keyword") != nil { return parseKeywordPlacement(&reader) }
        if reader.node("riding") != nil { return parseRidingPlacement(&reader) }
        var pages: Placement.Pages?
        if reader.node("page") != nil {
            pages = parsePages(&reader)
        } else {
            reader.report(nil, "placements[\(index)] needs a page (a number, 'first', 'last' or 'every') or a keyword")
        }
        let x = reader.requiredNumber("x_mm", minimum: 0)
        let y = reader.requiredNumber("y_mm", minimum: 0)
        let width = reader.optionalNumber("width_mm", minimum: 1)
        let height = reader.optionalNumber("height_mm", minimum: 1)
        reader.rejectUnknownKeys()
        guard reader.problems.isEmpty, let pages, let x, let y else { return (nil, reader.problems) }
        return (Placement(pages: pages, xMM: x, yMM: y, widthMM: width, heightMM: height), [])
    }

    private static func parsePages(_ reader: inout MappingReader) -> Placement.Pages? {
        guard let pageNode = reader.node("page") else { return nil }
        if let number = pageNode.int {
            if number >= 1 { return .page(number) }
            reader.report("page", "page numbers start at 1")
        } else if let text = pageNode.string {
            switch text {
            case "first": return .first
            case "last": return .last
            case "every", "all": return .every
            default: reader.report("page", "page must be a number, 'first', 'last' or 'every'")
            }
        }
        return nil
    }

    /// `keyword:` (a text or a list) with `occurrence:`, `pages:`, `offset_mm:`, size, and an optional fallback
    /// position (`x_mm`/`y_mm`, `page` default last) used when the keyword is not in a document.
    private static func parseKeywordPlacement(_ reader: inout MappingReader) -> (Placement?, [PipelineProblem]) {
        var keywords: [String] = []
        switch reader.node("keyword") {
        case .scalar(let scalar)?: keywords = [scalar.string]
        case .sequence(let sequence)?: keywords = sequence.compactMap(\.string)
        default: break
        }
        keywords = keywords.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        if keywords.isEmpty { reader.report("keyword", "'keyword' must be a non-empty text or a list of texts") }
        var occurrence = KeywordAnchor.Occurrence.first
        if let node = reader.node("occurrence") {
            if let parsed = (node.int.map(String.init) ?? node.string).flatMap(KeywordAnchor.Occurrence.init) {
                occurrence = parsed
            } else {
                reader.report("occurrence", "'occurrence' must be first, last, all or a number from 1")
            }
        }
        var searched: ClosedRange<Int>?
        if let node = reader.node("pages") {
            if let number = node.int, number >= 1 {
                searched = number...number
            } else if let text = node.string, text != "all" {
                let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                if parts.count == 2, let first = parts[0], let last = parts[1], first >= 1, first <= last {
                    searched = first...last
                } else {
                    reader.report("pages", "'pages' must be a page number, A-B (e.g. 2-5) or all")
                }
            } else if node.string != "all" {
                reader.report("pages", "'pages' must be a page number, A-B (e.g. 2-5) or all")
            }
        }
        var offset = (0.0, 0.0)
        if let node = reader.node("offset_mm") {
            var values: [Double] = []
            if case .sequence(let sequence) = node {
                values = sequence.compactMap { $0.float ?? $0.int.map(Double.init) }
            } else if let text = node.string {
                values = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            }
            if values.count == 2, values.allSatisfy(\.isFinite) {
                offset = (values[0], values[1])
            } else {
                reader.report("offset_mm", "'offset_mm' must be two numbers [dx, dy] (millimetres, x right, y up)")
            }
        }
        let width = reader.optionalNumber("width_mm", minimum: 1)
        let height = reader.optionalNumber("height_mm", minimum: 1)
        // A fixed position next to the keyword is the fallback.
        let hasFallback = reader.node("x_mm") != nil || reader.node("y_mm") != nil
        var x = 0.0, y = 0.0
        var pages = Placement.Pages.last
        if hasFallback {
            x = reader.requiredNumber("x_mm", minimum: 0) ?? 0
            y = reader.requiredNumber("y_mm", minimum: 0) ?? 0
            pages = parsePages(&reader) ?? .last
        } else if reader.node("page") != nil {
            reader.report("page", "with a keyword, 'page' is the fallback page and needs x_mm and y_mm; use 'pages' to choose where to search")
        }
        reader.rejectUnknownKeys()
        guard reader.problems.isEmpty else { return (nil, reader.problems) }
        let anchor = KeywordAnchor(
            keywords: keywords, occurrence: occurrence, pages: searched, offsetXMM: offset.0, offsetYMM: offset.1,
            hasFallback: hasFallback)
        return (Placement(pages: pages, xMM: x, yMM: y, widthMM: width, heightMM: height, keyword: anchor), [])
    }

    /// `riding: left|right|top|bottom` with `pages` (all, odd, even, N, A-B), `slices`, `margin_mm`,
    /// `first_page_share` and size: a riding seal (骑缝章), one signature with one slice per selected page.
    private static func parseRidingPlacement(_ reader: inout MappingReader) -> (Placement?, [PipelineProblem]) {
        var edge: RidingAnchor.Edge?
        if let text = reader.node("riding")?.string, let parsed = RidingAnchor.Edge(rawValue: text) {
            edge = parsed
        } else {
            reader.report("riding", "'riding' must be left, right, top or bottom")
        }
        var pages = RidingAnchor.Pages.all
        if let node = reader.node("pages") {
            if let parsed = (node.int.map(String.init) ?? node.string).flatMap(RidingAnchor.Pages.init) {
                pages = parsed
            } else {
                reader.report("pages", "'pages' must be all, odd, even, a page number or A-B (e.g. 2-5)")
            }
        }
        var slices: Int?
        if let node = reader.node("slices") {
            if let number = node.int, number >= 1 { slices = number } else { reader.report("slices", "'slices' must be a number from 1") }
        }
        let margin = reader.optionalNumber("margin_mm", minimum: 0) ?? 0
        let share = reader.optionalNumber("first_page_share", minimum: 0)
        if let share, !(share > 0 && share < 1) {
            reader.report("first_page_share", "'first_page_share' must be between 0 and 1 (exclusive), e.g. 0.5")
        }
        let width = reader.optionalNumber("width_mm", minimum: 1)
        let height = reader.optionalNumber("height_mm", minimum: 1)
        for key in ["page", "x_mm", "y_mm", "keyword"] where reader.node(key) != nil {
            reader.report(key, "a riding placement takes no '\(key)': use 'pages' to choose the pages")
        }
        reader.rejectUnknownKeys()
        guard reader.problems.isEmpty, let edge else { return (nil, reader.problems) }
        let anchor = RidingAnchor(edge: edge, pages: pages, slices: slices, marginMM: margin, firstPageShare: share)
        return (Placement(pages: .last, xMM: 0, yMM: 0, widthMM: width, heightMM: height, riding: anchor), [])
    }

    private static func syntaxProblem(_ error: any Error) -> PipelineProblem {
        if let yaml = error as? YamlError {
            switch yaml {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                return PipelineProblem(line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                return PipelineProblem(
                    line: context.mark.line, column: context.mark.column,
                    message: "duplicated keys: \(duplicates.joined(separator: ", "))")
            default:
                break
            }
        }
        return PipelineProblem(line: nil, column: nil, message: "YAML syntax: \(error)")
    }
}

/// Reads the keys of one YAML mapping, collecting problems instead of stopping at the first.
private struct MappingReader {
    let mapping: Node.Mapping
    let context: String
    var problems: [PipelineProblem] = []
    private var known: Set<String> = []

    init(mapping: Node.Mapping, context: String) {
        self.mapping = mapping
        self.context = context
    }

    mutating func node(_ key: String) -> Node? {
        known.insert(key)
        return mapping.first { $0.key.string == key }?.value
    }

    private func keyNode(_ key: String) -> Node? { mapping.first { $0.key.string == key }?.key }

    func problem(at key: String?, _ message: String) -> PipelineProblem {
        let mark = key.flatMap { keyNode($0)?.mark } ?? mapping.mark
        return PipelineProblem(line: mark?.line, column: mark?.column, message: message)
    }

    mutating func report(_ key: String?, _ message: String) { problems.append(problem(at: key, message)) }

    mutating func requiredString(_ key: String) -> String? {
        guard let value = node(key) else {
            report(nil, "\(context) needs '\(key)'")
            return nil
        }
        guard case .scalar(let scalar) = value, !scalar.string.isEmpty else {
            report(key, "'\(key)' must be a non-empty text")
            return nil
        }
        return scalar.string
    }

    mutating func optionalString(_ key: String) -> String? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value else {
            report(key, "'\(key)' must be a text")
            return nil
        }
        return scalar.string
    }

    mutating func optionalBool(_ key: String) -> Bool? {
        guard let value = node(key) else { return nil }
        guard let bool = value.bool else {
            report(key, "'\(key)' must be true or false")
            return nil
        }
        return bool
    }

    mutating func requiredNumber(_ key: String, minimum: Double) -> Double? {
        guard node(key) != nil else {
            report(nil, "\(context) needs '\(key)' (millimetres)")
            return nil
        }
        return optionalNumber(key, minimum: minimum)
    }

    mutating func optionalNumber(_ key: String, minimum: Double) -> Double? {
        guard let value = node(key) else { return nil }
        guard let number = value.float ?? value.int.map(Double.init), number.isFinite else {
            report(key, "'\(key)' must be a number of millimetres")
            return nil
        }
        guard number >= minimum else {
            report(key, "'\(key)' must be at least \(String(format: "%g", minimum))")
            return nil
        }
        return number
    }

    mutating func requiredSequence(_ key: String) -> [Node]? {
        guard let value = node(key) else {
            report(nil, "\(context) needs '\(key)'")
            return nil
        }
        guard case .sequence(let sequence) = value else {
            report(key, "'\(key)' must be a list")
            return nil
        }
        return Array(sequence)
    }

    mutating func optionalSequence(_ key: String) -> [Node]? {
        guard let value = node(key) else { return nil }
        guard case .sequence(let sequence) = value else {
            report(key, "'\(key)' must be a list")
            return nil
        }
        return Array(sequence)
    }

    mutating func optionalMapping(_ key: String) -> Node.Mapping? {
        guard let value = node(key) else { return nil }
        guard case .mapping(let mapping) = value else {
            report(key, "'\(key)' must be a mapping")
            return nil
        }
        return mapping
    }

    mutating func rejectUnknownKeys() {
        for (keyNode, _) in mapping {
            let key = keyNode.string ?? "?"
            if !known.contains(key) {
                let choices = known.sorted().joined(separator: ", ")
                problems.append(
                    PipelineProblem(
                        line: keyNode.mark?.line, column: keyNode.mark?.column,
                        message: "unknown key '\(key)' in \(context) (known: \(choices))"))
            }
        }
    }
}

/// Sizes in pipeline files: `1048576`, `512KB`, `20MB`, `1GB` (binary: 1 KB = 1,024 bytes; `KiB`/`MiB`/`GiB`
/// and `K`/`M`/`G` mean the same).
enum ByteCountText {
    static func bytes(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int)] = [
            ("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30), ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30),
            ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("B", 1),
        ]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = Double(number), value > 0, value * Double(factor) < Double(Int.max) else { return nil }
            return Int((value * Double(factor)).rounded(.down))
        }
        return Int(trimmed)
    }
}
