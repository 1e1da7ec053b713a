import ElectronicSeal
import Foundation
import SealCrypto
import SealOFD
import SealPDF
import SealReport

/// Reads from a document what the readable report shows beside the JSON report: each signature's seal picture and
/// fields, and its boxes on the pages. Keyed by the signature ID the verifiers report (the PDF field name, the OFD
/// `Signature@ID`). Never throws: what cannot be read is simply absent from the page.
public enum DocumentDetails {
    /// Details for every signature the document's format lets us find.
    public static func extract(_ bytes: [UInt8], password: String? = nil) -> [String: SignatureDetails] {
        switch DocumentFormat.detect(bytes) {
        case .pdf: PDFDetails.extract(bytes, password: password)
        case .ofd: OFDDetails.extract(bytes)
        case nil: [:]
        }
    }

    /// The seal's fields in the report's terms.
    static func describe(_ seal: SESeal) -> SignatureDetails.Seal {
        let property = seal.sealInfo.property
        var owners: [String] = []
        switch property.certList {
        case .certificates(let list):
            owners = list.map { (try? Certificate(der: Array($0)))?.subject ?? "(unreadable certificate)" }
        case .certificateDigests(let list):
            owners = list.map { "certificate digest \(Hex.string($0.value).prefix(16))…" }
        case .certificateIdentifiers(let list):
            owners = list
        }
        let maker = try? Certificate(der: Array(seal.makerCertificate))
        return SignatureDetails.Seal(
            name: seal.name, esID: seal.esID, type: property.type, vendorID: seal.sealInfo.header.vendorID,
            standard: seal.version.standard, owners: owners, maker: maker?.subject, makerIssuer: maker?.issuer,
            validFrom: property.validStart.date, validTo: property.validEnd.date, created: property.createDate.date)
    }

    static func picture(_ seal: SESeal) -> SignatureDetails.Picture {
        SignatureDetails.Picture(
            declaredType: seal.picture.type, bytes: Array(seal.picture.data), widthMM: seal.picture.widthMM,
            heightMM: seal.picture.heightMM)
    }

    /// Seal, picture and claimed time of an SES signature (PDF `/Contents` or OFD `SignedValue.dat`).
    static func details(sesSignature bytes: [UInt8]) -> SignatureDetails? {
        guard let signature = try? SESSignature(bytes: bytes) else { return nil }
        return SignatureDetails(
            picture: picture(signature.seal), seal: describe(signature.seal),
            sealSignatureTime: signature.toSign.timeInfo.date, hasSealTimestamp: signature.timeStamp != nil)
    }

    static func details(seal bytes: [UInt8]) -> SignatureDetails? {
        guard let seal = try? SESeal(bytes: bytes) else { return nil }
        return SignatureDetails(picture: picture(seal), seal: describe(seal))
    }
}

/// PDF: signature fields of the latest revision, their `/Contents` (an SES_Signature for `pdf.ses`) and widgets.
enum PDFDetails {
    static let pointsPerMM = 72.0 / 25.4

    static func extract(_ bytes: [UInt8], password: String?) -> [String: SignatureDetails] {
        guard let document = try? PDFDocument(bytes: bytes, options: PDFReadOptions(password: password)),
            let form = try? document.resolveDictionary(document.catalog["AcroForm"]),
            let fields = try? document.resolve(form["Fields"] ?? .null).arrayValue
        else { return [:] }
        let pages = (try? document.pages()) ?? []
        var result: [String: SignatureDetails] = [:]
        var stack: [(PDFObject, String, PDFName?, Int)] = fields.reversed().map { object in
            (object, "", nil as PDFName?, 0)
        }
        var visited = Set<PDFReference>()
        while let (object, parent, inherited, depth) = stack.popLast() {
            guard depth < 32, result.count < 1000 else { continue }
            if let ref = object.referenceValue, !visited.insert(ref).inserted { continue }
            guard let field = try? document.resolveDictionary(object) else { continue }
            let partial = field["T"]?.stringValue?.text
            let name = partial.map { parent.isEmpty ? $0 : parent + "." + $0 } ?? parent
            let type = field["FT"]?.nameValue ?? inherited
            let kids = (try? document.resolve(field["Kids"] ?? .null).arrayValue) ?? []
            if type == "Sig", let signature = try? document.resolveDictionary(field["V"]) {
                var details = contents(of: signature, in: bytes).flatMap(DocumentDetails.details(sesSignature:))
                    ?? SignatureDetails()
                let widgets: [(PDFObject, PDFDictionary)] =
                    field["Rect"] != nil
                    ? [(object, field)]
                    : kids.compactMap { kid in (try? document.resolveDictionary(kid)).map { (kid, $0) } }
                details.placements = widgets.compactMap { placement(of: $0.1, ref: $0.0.referenceValue, pages: pages, document: document) }
                result[name.isEmpty ? "(unnamed)" : name] = details
                continue
            }
            for kid in kids.reversed() { stack.append((kid, name, type, depth + 1)) }
        }
        return result
    }

    /// The signature blob between the two byte ranges (`<hex>`), decoded; trailing zero padding is harmless to the
    /// lenient SES parser.
    static func contents(of signature: PDFDictionary, in bytes: [UInt8]) -> [UInt8]? {
        let numbers = (signature["ByteRange"]?.arrayValue ?? []).compactMap(\.integerValue)
        guard numbers.count == 4, numbers[0] == 0, numbers[1] >= 0, numbers[2] > numbers[1], numbers[2] <= bytes.count
        else { return signature["Contents"]?.stringValue?.bytes }
        var hex: [UInt8] = []
        hex.reserveCapacity(numbers[2] - numbers[1])
        for byte in bytes[numbers[1]..<numbers[2]] where byte != 0x3C && byte != 0x3E && !(byte <= 0x20) { hex.append(byte) }
        return Hex.bytes(String(decoding: hex, as: UTF8.self))
    }

    /// A visible widget's box in millimetres from its page's bottom-left (nil for an invisible or unplaced widget).
    static func placement(
        of widget: PDFDictionary, ref: PDFReference?, pages: [PDFPage], document: PDFDocument
    ) -> SignatureDetails.Placement? {
        guard let rectObject = try? document.resolve(widget["Rect"] ?? .null), let rect = PDFRect(rectObject),
            abs(rect.widthPoints) > 0.01, abs(rect.heightPoints) > 0.01
        else { return nil }
        var index = widget["P"]?.referenceValue.flatMap { page in pages.firstIndex { $0.ref == page } }
        if index == nil, let ref {
            index = pages.firstIndex { page in
                let annotations = (try? document.resolve(page.dictionary["Annots"] ?? .null).arrayValue) ?? []
                return annotations.contains { $0.referenceValue == ref }
            }
        }
        guard let index else { return nil }
        let box = pages[index].mediaBox
        return SignatureDetails.Placement(
            page: index + 1, pageWidthMM: box.widthPoints / pointsPerMM, pageHeightMM: box.heightPoints / pointsPerMM,
            xMM: (min(rect.llx, rect.urx) - box.llx) / pointsPerMM, yMM: (min(rect.lly, rect.ury) - box.lly) / pointsPerMM,
            widthMM: abs(rect.widthPoints) / pointsPerMM, heightMM: abs(rect.heightPoints) / pointsPerMM)
    }
}

/// OFD: every `Signatures.xml` entry, its `SignedValue.dat` (an SES_Signature for a seal) or `Seal.esl`, and its
/// `StampAnnot` boxes (page coordinates run from the top-left; the report gives them from the bottom-left).
enum OFDDetails {
    static func extract(_ bytes: [UInt8]) -> [String: SignatureDetails] {
        guard let package = try? OFDPackage(bytes), let ofdPath = package.archive.entry("OFD.xml")?.path,
            let root = try? package.xml(ofdPath)
        else { return [:] }
        let pages = (try? OFDDocument(package: package))?.pages ?? []
        var result: [String: SignatureDetails] = [:]
        for body in root.children("DocBody") {
            guard let location = body.childText("Signatures"), !location.isEmpty,
                let listPath = package.locate(location, from: ofdPath), let listRoot = try? package.xml(listPath)
            else { continue }
            let list = OFDSignatureList(path: listPath, root: listRoot)
            for entry in list.entries {
                let id = entry.id.isEmpty ? "(no ID)" : entry.id
                guard let path = package.locate(entry.baseLocation, from: listPath),
                    let fileBytes = try? package.read(path),
                    let file = try? OFDSignatureFile(path: path, bytes: fileBytes)
                else { continue }
                var details = SignatureDetails()
                let valuePath = file.signedValueLocation.flatMap { package.locate($0, from: path) }
                    ?? ["SignedValue.dat", "SignValue.dat"].lazy.compactMap { package.locate($0, from: path) }.first
                if let valuePath, let value = try? package.read(valuePath),
                    let fromSignature = DocumentDetails.details(sesSignature: value)
                {
                    details = fromSignature
                } else if let sealLocation = file.sealLocation, let sealPath = package.locate(sealLocation, from: path),
                    let sealBytes = try? package.read(sealPath), let fromSeal = DocumentDetails.details(seal: sealBytes)
                {
                    details = fromSeal
                }
                details.placements = file.stampAnnotations.compactMap { annotation in
                    guard let box = annotation.boundary else { return nil }
                    let page = pages.first { $0.id == annotation.pageRef?.trimmingCharacters(in: .whitespaces) }
                    let pageBox = page?.physicalBox ?? .a4
                    return SignatureDetails.Placement(
                        page: page?.number ?? 0, pageWidthMM: pageBox.widthMM, pageHeightMM: pageBox.heightMM,
                        xMM: box.xMM, yMM: pageBox.heightMM - box.yMM - box.heightMM, widthMM: box.widthMM,
                        heightMM: box.heightMM)
                }
                result[id] = details
            }
        }
        return result
    }
}
