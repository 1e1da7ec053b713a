/// Everything a new signature adds or changes in a package, prepared before anything is signed.
///
/// It decides the new files' paths, IDs, the updated Signatures.xml and (for a first signature) OFD.xml, then
/// lists the References and writes Signature.xml. ``assemble(signedValue:)`` copies every untouched entry
/// verbatim and appends the new ones.
struct OFDSignaturePlan {
    /// A page and boundary resolved against the document.
    struct ResolvedStamp {
        var pageID: String
        var boundary: OFDBox
        var clip: OFDBox?
    }

    let package: OFDPackage
    /// The package's inflated files, shared with the document model: each file is inflated once per stamp.
    let files: OFDPackageFiles
    let document: OFDDocument
    let type: OFDSignatureType
    let lock: Bool
    let signaturesPath: String
    let signaturesXML: [UInt8]
    let ofdXML: [UInt8]?
    let signFolder: String
    let signatureXMLPath: String
    let signedValuePath: String
    let sealPath: String?
    let sealBytes: [UInt8]?
    let signatureID: String
    let stampIDs: [String]
    let entryTime: (time: Int, date: Int)

    /// Prepares a signature.
    ///
    /// - Throws: ``OFDError`` `documentLocked` when an earlier signature protects Signatures.xml.
    init(
        files: OFDPackageFiles, document: OFDDocument, type: OFDSignatureType, lock: Bool, sealBytes: [UInt8]?,
        stampCount: Int, signingTime: DOSDateTime
    ) throws(OFDError) {
        let package = files.package
        self.package = package
        self.files = files
        self.document = document
        self.type = type
        self.lock = lock
        self.entryTime = (signingTime.time, signingTime.date)
        var list: OFDSignatureList
        var existingIDs: [String] = []
        if let path = document.signaturesPath {
            list = OFDSignatureList(path: path, root: try files.xml(path))
            existingIDs = list.entries.map(\.id) + [list.maxSignID].compactMap { $0 }
            for entry in list.entries {
                guard let location = package.locate(entry.baseLocation, from: path) else { continue }
                let outline = try OFDSignatureFile.Outline(
                    path: location, bytes: files.read(location), limits: package.archive.limits)
                existingIDs += outline.stampIDs
                let protectsList = outline.fileRefs.contains { fileRef in
                    package.locate(fileRef, from: location) == path
                }
                if protectsList {
                    throw OFDError(
                        .documentLocked,
                        "signature \(entry.id) protects the signature list (Signatures.xml): the document is locked "
                            + "and accepts no further signature")
                }
            }
        } else {
            let documentFolder = PackagePath.folder(of: document.documentPath)
            let path = (documentFolder.isEmpty ? "" : documentFolder + "/") + "Signs/Signatures.xml"
            list = OFDSignatureList(path: path, maxSignID: nil, entries: [])
        }
        // The next free Sign_k folder beside Signatures.xml.
        let signsFolder = PackagePath.folder(of: list.path)
        let prefix = signsFolder.isEmpty ? "" : signsFolder + "/"
        let used = Set(package.archive.entries.map { $0.path.lowercased() })
        var index = list.entries.count
        while used.contains(where: { $0.hasPrefix("\(prefix)sign_\(index)/".lowercased()) }) { index += 1 }
        signFolder = "\(prefix)Sign_\(index)"
        signatureXMLPath = signFolder + "/Signature.xml"
        signedValuePath = signFolder + "/SignedValue.dat"
        if let sealBytes {
            sealPath = signFolder + "/Seal.esl"
            self.sealBytes = sealBytes
        } else {
            sealPath = nil
            self.sealBytes = nil
        }
        var ids = OFDSignatureIDs(existing: existingIDs)
        signatureID = ids.next()
        stampIDs = (0..<stampCount).map { _ in ids.next() }
        signaturesPath = list.path
        list.maxSignID = ids.maximum
        let baseLocation = list.entries.isEmpty && document.signaturesPath == nil
            ? PackagePath.absolute(signatureXMLPath) : PackagePath.absolute(signatureXMLPath)
        list.entries.append(
            OFDSignatureList.Entry(
                id: signatureID, type: type.rawValue, baseLocation: baseLocation,
                attributes: ["ID", "Type", "BaseLoc"], attributeValues: [signatureID, type.rawValue, baseLocation]))
        signaturesXML = Self.write(list)
        ofdXML = document.signaturesPath == nil
            ? try Self.insertSignatures(into: files.read("OFD.xml"), docBody: document.docBody, path: list.path)
            : nil
    }

    /// The files of the finished package that this signature's References cover: every file except its own
    /// Signature.xml and SignedValue.dat, and Signatures.xml unless the document is being locked.
    func referencedFiles() throws(OFDError) -> [(path: String, bytes: [UInt8])] {
        var files: [(String, [UInt8])] = []
        for entry in package.archive.entries where !entry.isDirectory {
            if entry.path == signaturesPath {
                if lock { files.append((entry.path, signaturesXML)) }
            } else if entry.path == "OFD.xml" || entry.path.lowercased() == "ofd.xml", let ofdXML {
                files.append((entry.path, ofdXML))
            } else {
                files.append((entry.path, try self.files.contents(of: entry)))
            }
        }
        if package.archive.entry(signaturesPath) == nil && lock { files.append((signaturesPath, signaturesXML)) }
        if let sealPath, let sealBytes { files.append((sealPath, sealBytes)) }
        return files
    }

    /// Writes Signature.xml in schema order.
    func signatureXML(
        references: [(path: String, digest: [UInt8])], stamps: [ResolvedStamp], dateTime: String,
        providerVersion: String
    ) -> [UInt8] {
        var xml = OFDXMLWriter()
        xml.open("Signature", root: true)
        xml.open("SignedInfo")
        xml.empty("Provider", [("ProviderName", "SealPress"), ("Version", providerVersion), ("Company", "SealPress")])
        xml.leaf("SignatureMethod", "1.2.156.10197.1.501")
        xml.leaf("SignatureDateTime", dateTime)
        xml.open("References", [("CheckMethod", "1.2.156.10197.1.401")])
        for reference in references {
            xml.open("Reference", [("FileRef", PackagePath.absolute(reference.path))])
            xml.leaf("CheckValue", Base64.encode(reference.digest))
            xml.close("Reference")
        }
        xml.close("References")
        for (stamp, id) in zip(stamps, stampIDs) {
            var attributes = [("ID", id), ("PageRef", stamp.pageID), ("Boundary", stamp.boundary.stBox)]
            if let clip = stamp.clip { attributes.append(("Clip", clip.stBox)) }
            xml.empty("StampAnnot", attributes)
        }
        if let sealPath {
            xml.open("Seal")
            xml.leaf("BaseLoc", PackagePath.absolute(sealPath))
            xml.close("Seal")
        }
        xml.close("SignedInfo")
        xml.leaf("SignedValue", PackagePath.absolute(signedValuePath))
        xml.close("Signature")
        return xml.bytes
    }

    /// The finished package: untouched entries copied verbatim in their original order, OFD.xml and
    /// Signatures.xml replaced in place, then the new signature's files.
    func assemble(signatureXML: [UInt8], signedValue: [UInt8]) throws(OFDError) -> [UInt8] {
        var writer = ZipWriter(reservingCapacity: package.archive.bytes.count + signedValue.count + 8192)
        var wroteList = false
        for entry in package.archive.entries {
            if entry.path == signaturesPath {
                try writer.add(path: entry.path, contents: signaturesXML, time: entryTime.time, date: entryTime.date)
                wroteList = true
            } else if let ofdXML, !entry.isDirectory, entry.path.lowercased() == "ofd.xml" {
                try writer.add(path: entry.path, contents: ofdXML, time: entryTime.time, date: entryTime.date)
            } else {
                try writer.copy(entry, from: package.archive)
            }
        }
        if !wroteList {
            try writer.add(path: signaturesPath, contents: signaturesXML, time: entryTime.time, date: entryTime.date)
        }
        // The seal and the signature value are DER (a real seal's picture is PNG or JPEG, often tens of KB, and
        // SignedValue.dat embeds the seal again): stored, since deflating them costs more than it saves.
        if let sealPath, let sealBytes {
            try writer.add(
                path: sealPath, contents: sealBytes, time: entryTime.time, date: entryTime.date, deflate: false)
        }
        try writer.add(path: signatureXMLPath, contents: signatureXML, time: entryTime.time, date: entryTime.date)
        try writer.add(
            path: signedValuePath, contents: signedValue, time: entryTime.time, date: entryTime.date, deflate: false)
        return try writer.finish()
    }

    // MARK: - Helpers

    private static func write(_ list: OFDSignatureList) -> [UInt8] {
        var xml = OFDXMLWriter()
        xml.open("Signatures", root: true)
        if let maximum = list.maxSignID { xml.leaf("MaxSignId", maximum) }
        for entry in list.entries {
            xml.empty("Signature", Array(zip(entry.attributes, entry.attributeValues)))
        }
        xml.close("Signatures")
        return xml.bytes
    }

    /// Adds `<Signatures>` as the last child of the first DocBody by inserting text before `</DocBody>`;
    /// every other byte of OFD.xml stays as it was.
    private static func insertSignatures(into ofdXML: [UInt8], docBody: XMLElement, path: String) throws(OFDError)
        -> [UInt8]
    {
        let name = docBody.qualifiedName
        let prefix = name.contains(":") ? String(name[..<name.lastIndex(of: ":")!]) + ":" : ""
        let closing = Array("</\(name)".utf8)
        var position = 0
        while position + closing.count <= ofdXML.count {
            if ofdXML[position] == 0x3C && ofdXML[position..<(position + closing.count)].elementsEqual(closing) {
                let after = position + closing.count
                if after < ofdXML.count, ofdXML[after] == 0x3E || ofdXML[after] == 0x20 || ofdXML[after] == 0x0A
                    || ofdXML[after] == 0x0D || ofdXML[after] == 0x09
                {
                    let element = "<\(prefix)Signatures>\(PackagePath.absolute(path))</\(prefix)Signatures>"
                    return Array(ofdXML[..<position]) + Array(element.utf8) + Array(ofdXML[position...])
                }
            }
            position += 1
        }
        throw OFDError(.malformedDocument, "OFD.xml has no closing DocBody tag to add the signature list to")
    }
}
