import Foundation
@testable import SealOFD

/// Test inputs from `Fixtures/` and small builders for hand-made packages.
enum Fixture {
    static let folder: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent("corpus").appendingPathComponent(name)))
    }

    /// A ZIP with the given entries, written by our writer (names are stored exactly as given).
    static func zip(_ files: [(String, [UInt8])]) throws -> [UInt8] {
        var writer = ZipWriter()
        for (name, contents) in files { try writer.add(path: name, contents: contents, time: 0, date: 33) }
        return try writer.finish()
    }

    /// A minimal, valid OFD with `pages` pages of A4, generated here (no external tool).
    static func generatedOFD(pages: Int) throws -> [UInt8] {
        let ns = "xmlns:ofd=\"http://www.ofdspec.org/2016\""
        var files: [(String, [UInt8])] = []
        files.append(("OFD.xml", Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ofd:OFD \(ns) Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>6c1a6bd7a0f54f2c9b3c</ofd:DocID>\
            <ofd:Creator>SealPress tests</ofd:Creator></ofd:DocInfo><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>
            """.utf8)))
        var pageList = ""
        for index in 0..<pages { pageList += "<ofd:Page ID=\"\(index + 10)\" BaseLoc=\"Pages/Page_\(index)/Content.xml\"/>" }
        files.append(("Doc_0/Document.xml", Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ofd:Document \(ns)><ofd:CommonData><ofd:MaxUnitID>\(pages * 3 + 20)</ofd:MaxUnitID><ofd:PageArea>\
            <ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>\
            </ofd:CommonData><ofd:Pages>\(pageList)</ofd:Pages></ofd:Document>
            """.utf8)))
        files.append(("Doc_0/PublicRes.xml", Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ofd:Res \(ns) BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>
            """.utf8)))
        for index in 0..<pages {
            let landscape = index % 3 == 2
            let area = landscape ? "<ofd:Area><ofd:PhysicalBox>0 0 297 210</ofd:PhysicalBox></ofd:Area>" : ""
            files.append(("Doc_0/Pages/Page_\(index)/Content.xml", Array("""
                <?xml version="1.0" encoding="UTF-8"?>
                <ofd:Page \(ns)>\(area)<ofd:Content><ofd:Layer ID="\(pages + 20 + index)"><ofd:TextObject ID="\(2 * pages + 20 + index)" \
                Boundary="20 20 170 10" Font="2" Size="5"><ofd:TextCode X="0" Y="5">第 \(index + 1) 页 page \(index + 1)</ofd:TextCode>\
                </ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>
                """.utf8)))
        }
        return try zip(files)
    }
}
