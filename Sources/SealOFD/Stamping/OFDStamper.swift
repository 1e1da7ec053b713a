import ElectronicSeal
import Foundation
import SealCrypto
import Synchronization

/// Adds a seal signature (or a plain digital signature) to an OFD document without changing a byte of any file
/// an existing signature protects.
///
/// The new signature's References cover every file of the finished package except its own Signature.xml and
/// SignedValue.dat and, unless the request locks the document, Signatures.xml; so a later signature protects the
/// earlier ones (GB/T 33190 §18, as ofdrw and commercial signers do).
public enum OFDStamper {
    /// Stamps a document.
    ///
    /// - Returns: the signed package.
    /// - Throws: ``OFDError`` (`documentLocked`, `pageNotFound`, `invalidPlacement`, `invalidSeal` for a seal that
    ///   does not parse, package and XML errors); ``ElectronicSealError`` when ``SealPolicy`` refuses the seal for
    ///   this signer at this time (the same codes as for PDF); or the signer's own error when signing fails.
    public static func stamp(_ documentBytes: [UInt8], request: OFDStampRequest) throws -> [UInt8] {
        let package = try OFDPackage(documentBytes)
        // Every file is inflated once: parsing below and the References' SM3 read the same bytes.
        let files = OFDPackageFiles(package)
        let placed = request.placements.map(\.page)
        let document = try OFDDocument(files: files) { number, count in
            placed.contains(.number(number)) || (number == count && placed.contains(.last))
        }
        let seal: SESeal?
        switch request.signatureType {
        case .seal:
            guard let sealBytes = request.seal else {
                throw OFDError(.invalidSeal, "a seal signature needs an electronic seal (SESeal)")
            }
            guard !request.placements.isEmpty else {
                throw OFDError(.invalidPlacement, "a seal signature needs at least one placement")
            }
            let parsed = try OFDSealCache.seal(sealBytes)
            // The whole seal policy runs once, in SealSignatureBuilder, before anything is signed (same refusals and
            // codes); the version must be checked against the request here, because the builder follows the seal's
            // own version.
            try SealPolicy.checkVersion(parsed, use: request.sesVersion == .v1 ? .gmt0031 : .gbt38540)
            seal = parsed
        case .sign:
            seal = nil
        }
        let stamps = try request.placements.map { placement throws(OFDError) in
            try resolve(placement, in: document, seal: seal)
        }
        let plan = try OFDSignaturePlan(
            files: files, document: document, type: request.signatureType, lock: request.lock,
            sealBytes: request.seal.flatMap { seal == nil ? nil : $0 }, stampCount: stamps.count,
            signingTime: DOSDateTime(request.signingTime))
        let references = try plan.referencedFiles().map { ($0.path, Digest.hash(.sm3, $0.bytes)) }
        let signatureXML = plan.signatureXML(
            references: references, stamps: stamps, dateTime: OFDDateTime.signatureDateTime(request.signingTime),
            providerVersion: "1.0")
        let dataHash = Digest.hash(.sm3, signatureXML)
        let signedValue: [UInt8]
        if let seal {
            signedValue = try OFDSealSigning.sesSignature(
                seal: seal, dataHash: dataHash, propertyInfo: PackagePath.absolute(plan.signatureXMLPath),
                request: request)
        } else {
            signedValue = try OFDSealSigning.signedData(dataHash: dataHash, request: request)
        }
        return try plan.assemble(signatureXML: signatureXML, signedValue: signedValue)
    }

    /// Checks a placement against the document's pages and fills in the seal's own size.
    static func resolve(_ placement: OFDStampPlacement, in document: OFDDocument, seal: SESeal?) throws(OFDError)
        -> OFDSignaturePlan.ResolvedStamp
    {
        let page: OFDPage
        switch placement.page {
        case .last:
            guard let last = document.pages.last else { throw OFDError(.pageNotFound, "the document has no page") }
            page = last
        case .number(let number):
            guard number >= 1, number <= document.pages.count else {
                throw OFDError(.pageNotFound, "page \(number) does not exist (the document has \(document.pages.count))")
            }
            page = document.pages[number - 1]
        }
        let width = placement.widthMM ?? seal.map { Double($0.picture.widthMM) } ?? 40
        let height = placement.heightMM ?? seal.map { Double($0.picture.heightMM) } ?? 40
        let box = OFDBox(xMM: placement.xMM, yMM: placement.yMM, widthMM: width, heightMM: height)
        let values = [box.xMM, box.yMM, box.widthMM, box.heightMM]
        guard values.allSatisfy(\.isFinite), width > 0, height > 0, width <= 1000, height <= 1000 else {
            throw OFDError(.invalidPlacement, "the seal needs a finite, positive size up to 1000 mm")
        }
        let area = page.physicalBox
        guard box.xMM < area.xMM + area.widthMM, box.xMM + width > area.xMM, box.yMM < area.yMM + area.heightMM,
            box.yMM + height > area.yMM
        else {
            throw OFDError(
                .invalidPlacement,
                "the seal at (\(box.xMM), \(box.yMM)) mm lies outside page \(page.number) "
                    + "(\(area.widthMM) × \(area.heightMM) mm)")
        }
        if let clip = placement.clip {
            guard clip.widthMM > 0, clip.heightMM > 0, clip.xMM >= 0, clip.yMM >= 0,
                clip.xMM + clip.widthMM <= width + 0.001, clip.yMM + clip.heightMM <= height + 0.001
            else { throw OFDError(.invalidPlacement, "the clip must lie inside the seal's boundary") }
        }
        return OFDSignaturePlan.ResolvedStamp(pageID: page.id, boundary: box, clip: placement.clip)
    }
}

/// Parsed seals by their bytes: a worker applies the same few seals stamp after stamp, so the parse (with its
/// dates and certificate lists) is done once per distinct seal. Only what depends on nothing but the seal's bytes
/// is kept; ``SealPolicy`` still judges every stamp (signer, signing time, version, maker signature).
enum OFDSealCache {
    private static let entries = Mutex<[(bytes: [UInt8], seal: SESeal)]>([])
    private static let capacity = 16

    static func seal(_ bytes: [UInt8]) throws(OFDError) -> SESeal {
        if let hit = entries.withLock({ list in list.first { $0.bytes == bytes }?.seal }) { return hit }
        let parsed = try parse(bytes)
        entries.withLock { list in
            if list.count >= capacity { list.removeFirst() }
            list.append((bytes, parsed))
        }
        return parsed
    }

    private static func parse(_ bytes: [UInt8]) throws(OFDError) -> SESeal {
        do {
            return try SESeal(bytes: bytes)
        } catch {
            throw OFDError(.invalidSeal, "the seal is not a GB/T 38540 or GM/T 0031 SESeal")
        }
    }
}
