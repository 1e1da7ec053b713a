import Foundation
import ElectronicSeal
import SealCrypto
@testable import SealOFD

/// Keys, certificates and electronic seals for stamping tests, made fresh with SealCrypto's DemoPKI.
///
/// Seals are made with ElectronicSeal's SealBuilder, signed by the demo seal maker; they list the demo SM2 signer's
/// certificate (the foreign seal lists another certificate).
struct TestSeals: Sendable {
    let pki: DemoPKI
    let v4Seal: [UInt8]
    let v1Seal: [UInt8]
    /// A v4 seal whose list does not contain the signer.
    let foreignSeal: [UInt8]

    static let shared: TestSeals = try! TestSeals()

    init() throws {
        pki = try DemoPKI.make()
        let now = Date()
        let signer = pki.sm2Signer.certificate.der
        v4Seal = try Self.v4(maker: pki.sealMaker, listing: [signer], from: now.addingTimeInterval(-86_400), to: now.addingTimeInterval(365 * 86_400))
        v1Seal = try Self.v1(maker: pki.sealMaker, listing: [signer], from: now.addingTimeInterval(-86_400), to: now.addingTimeInterval(365 * 86_400))
        foreignSeal = try Self.v4(maker: pki.sealMaker, listing: [pki.sealMaker.certificate.der], from: now.addingTimeInterval(-86_400), to: now.addingTimeInterval(365 * 86_400))
    }

    func signer() throws -> SoftwareSigner { try pki.sm2Signer.signer() }

    // MARK: - Seal assembly

    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
        0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D,
        0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]

    static func v4(maker: DemoPKI.Identity, listing certificates: [[UInt8]], from start: Date, to end: Date) throws -> [UInt8] {
        try make(.v4, maker: maker, listing: certificates, from: start, to: end)
    }

    static func v1(maker: DemoPKI.Identity, listing certificates: [[UInt8]], from start: Date, to end: Date) throws -> [UInt8] {
        try make(.v1, maker: maker, listing: certificates, from: start, to: end)
    }

    static func make(
        _ version: SESVersion, maker: DemoPKI.Identity, listing certificates: [[UInt8]], from start: Date, to end: Date
    ) throws -> [UInt8] {
        var builder = SealBuilder(
            name: "SealPress 测试专用章", type: 1, esID: "SP-OFD-\(version.rawValue)-\(UInt32.random(in: 0...UInt32.max))",
            picture: SESPictureInfo(type: "PNG", data: png, widthMM: 40, heightMM: 40),
            signerCertificates: certificates, validStart: start, validEnd: end)
        builder.version = version
        builder.createDate = start
        return Array(try builder.build(maker: maker.signer()).derEncoded)
    }
}
