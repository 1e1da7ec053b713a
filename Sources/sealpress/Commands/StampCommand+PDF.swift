// Owner: the PDF engine. Stamps a PDF for `sealpress stamp`.
extension StampCommand {
    func stampPDF(_ bytes: [UInt8]) throws {
        throw NotYetAvailable(what: "PDF stamping")
    }
}
