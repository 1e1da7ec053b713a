/// The parts of an OFD document the engine needs: where its files are, its pages and its signatures list.
///
/// Built from `OFD.xml` (first `DocBody`) and its `Document.xml`; the XML bytes are never written back.
public struct OFDDocument: Sendable {
    /// The `DocBody` element as parsed, and its qualified name (for inserting `Signatures` on first signature).
    public var docBody: XMLElement
    /// Package path of `Document.xml`.
    public var documentPath: String
    /// Package path of `Signatures.xml` when OFD.xml names one.
    public var signaturesPath: String?
    /// The `Signatures` ST_Loc exactly as written.
    public var signaturesLocation: String?
    public var pages: [OFDPage]
    /// `CommonData/MaxUnitID`, if present.
    public var maxUnitID: Int?

    /// Reads OFD.xml and the first document's Document.xml.
    ///
    /// - Parameter pageAreas: which pages' own `Area` (in their content file) is read, given the 1-based page
    ///   number and the page count; nil reads every page's. Other pages report the document's default
    ///   `PageArea` (reading 200 content files to stamp one page is what made large documents slow).
    ///
    /// - Throws: ``OFDError`` `malformedDocument` when DocBody/DocRoot are missing, `missingFile` when Document.xml
    ///   is absent, XML errors from the parser.
    public init(package: OFDPackage, pageAreas: ((_ number: Int, _ count: Int) -> Bool)? = nil) throws(OFDError) {
        try self.init(files: OFDPackageFiles(package, keeps: false), pageAreas: pageAreas)
    }

    /// Reads the document through `files`, which keeps the inflated bytes for the caller (a stamp hashes the same
    /// files afterwards). A page's `Area` is read by parsing its content file only up to that element.
    init(files: OFDPackageFiles, pageAreas: ((_ number: Int, _ count: Int) -> Bool)? = nil) throws(OFDError) {
        let package = files.package
        let ofdPath = package.archive.entry("OFD.xml")!.path
        let root = try files.xml(ofdPath)
        guard let body = root.child("DocBody") else {
            throw OFDError(.malformedDocument, "OFD.xml has no DocBody")
        }
        guard let docRoot = body.childText("DocRoot"), !docRoot.isEmpty else {
            throw OFDError(.malformedDocument, "OFD.xml names no DocRoot")
        }
        docBody = body
        let documentPath = try package.require(docRoot, from: ofdPath)
        self.documentPath = documentPath
        signaturesLocation = body.childText("Signatures").flatMap { $0.isEmpty ? nil : $0 }
        signaturesPath = signaturesLocation.flatMap { package.locate($0, from: ofdPath) }
        if let signaturesLocation, signaturesPath == nil {
            throw OFDError(.missingFile, "OFD.xml names \(signaturesLocation) as its signature list, but it is missing")
        }
        let document = try files.xml(documentPath)
        let common = document.child("CommonData")
        maxUnitID = common?.childText("MaxUnitID").flatMap { Int($0) }
        let defaultBox = common?.descendant(["PageArea", "PhysicalBox"]).flatMap { OFDBox(stBox: $0.text) } ?? .a4
        var pages: [OFDPage] = []
        let pageElements = document.child("Pages")?.children("Page") ?? []
        for (offset, page) in pageElements.enumerated() {
            guard let id = page.attribute("ID") else {
                throw OFDError(.malformedDocument, "page \(offset + 1) in Document.xml has no ID")
            }
            let contentPath = page.attribute("BaseLoc").flatMap { package.locate($0, from: documentPath) }
            var box = defaultBox
            if pageAreas?(offset + 1, pageElements.count) ?? true, let contentPath,
                let area = try? files.firstChildOfRoot(contentPath, named: "Area"),
                let own = area.child("PhysicalBox").flatMap({ OFDBox(stBox: $0.text) })
            {
                box = own
            }
            pages.append(OFDPage(number: offset + 1, id: id, contentPath: contentPath, physicalBox: box))
        }
        self.pages = pages
    }
}
