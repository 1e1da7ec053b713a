/// One page of an OFD document, with what placement needs.
public struct OFDPage: Sendable, Hashable {
    /// 1-based position in `Document.xml`'s `Pages`.
    public var number: Int
    /// The page object ID (`Pages/Page@ID`), which `StampAnnot@PageRef` refers to.
    public var id: String
    /// The page's content file, if it could be located.
    public var contentPath: String?
    /// The page's physical box (its own `Area`, else the document's `CommonData/PageArea`).
    public var physicalBox: OFDBox
}
