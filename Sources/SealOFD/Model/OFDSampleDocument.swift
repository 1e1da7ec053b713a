/// Generated sample documents.
public enum OFDSampleDocument {
    /// A valid OFD with `pages` pages (A4 portrait; every third page A4 landscape through its own Area), one
    /// line of text per page. For benchmarks, demos and tests; made without any external tool.
    public static func make(pages: Int) throws(OFDError) -> [UInt8] {
        guard pages >= 1, pages <= 100_000 else { throw OFDError(.invalidPlacement, "a sample needs 1 to 100000 pages") }
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
        var writer = ZipWriter()
        for (name, contents) in files { try writer.add(path: name, contents: contents, time: 0, date: 0x5A21) }
        return try writer.finish()
    }
}
