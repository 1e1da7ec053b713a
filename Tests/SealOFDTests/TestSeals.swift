import Foundation
import SealCrypto
@testable import SealOFD

/// Keys, certificates and electronic seals for stamping tests, made fresh with SealCrypto's DemoPKI.
///
/// Seals are assembled here from their published ASN.1 (GB/T 38540 v4, GM/T 0031 v1) with the engine's small
/// DER writer, signed by the demo seal maker; they list the demo SM2 signer's certificate.
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
        let header = DERWriter.sequence(ia5("ES") + integer(4) + ia5("SealPress"))
        let property = DERWriter.sequence(
            integer(1) + utf8("SealPress 测试专用章") + integer(1)
                + DERWriter.sequence(certificates.flatMap { DERWriter.octetString($0) })
                + generalized(start) + generalized(start) + generalized(end))
        let picture = DERWriter.sequence(ia5("PNG") + DERWriter.octetString(png) + integer(40) + integer(40))
        let sealInfo = DERWriter.sequence(header + ia5("SP" + String(UInt32.random(in: 0...UInt32.max))) + property + picture)
        let signature = try maker.signer().sign(sealInfo)
        return DERWriter.sequence(
            sealInfo + DERWriter.octetString(maker.certificate.der) + DERWriter.sm2WithSM3 + DERWriter.bitString(signature))
    }

    static func v1(maker: DemoPKI.Identity, listing certificates: [[UInt8]], from start: Date, to end: Date) throws -> [UInt8] {
        let header = DERWriter.sequence(ia5("ES") + integer(1) + ia5("SealPress"))
        let property = DERWriter.sequence(
            integer(1) + utf8("SealPress 测试专用章 v1")
                + DERWriter.sequence(certificates.flatMap { DERWriter.octetString($0) })
                + utc(start) + utc(start) + utc(end))
        let picture = DERWriter.sequence(ia5("PNG") + DERWriter.octetString(png) + integer(40) + integer(40))
        let sealInfo = DERWriter.sequence(header + ia5("SP1" + String(UInt32.random(in: 0...UInt32.max))) + property + picture)
        let makerCert = DERWriter.octetString(maker.certificate.der)
        let signature = try maker.signer().sign(DERWriter.sequence(sealInfo + makerCert + DERWriter.sm2WithSM3))
        return DERWriter.sequence(sealInfo + DERWriter.sequence(makerCert + DERWriter.sm2WithSM3 + DERWriter.bitString(signature)))
    }

    static func ia5(_ text: String) -> [UInt8] { DERWriter.element(0x16, Array(text.utf8)) }
    static func utf8(_ text: String) -> [UInt8] { DERWriter.element(0x0C, Array(text.utf8)) }
    static func integer(_ value: UInt8) -> [UInt8] { DERWriter.element(0x02, [value]) }

    static func generalized(_ date: Date) -> [UInt8] { DERWriter.element(0x18, Array(timeText(date, year: "yyyy").utf8)) }
    static func utc(_ date: Date) -> [UInt8] { DERWriter.element(0x17, Array(timeText(date, year: "yy").utf8)) }

    static func timeText(_ date: Date, year: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "\(year)MMddHHmmss'Z'"
        return formatter.string(from: date)
    }
}
