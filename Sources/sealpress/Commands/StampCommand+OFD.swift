// Owner: the OFD engine. Stamps an OFD for `sealpress stamp`.
extension StampCommand {
    func stampOFD(_ bytes: [UInt8]) throws {
        throw NotYetAvailable(what: "OFD stamping")
    }
}
