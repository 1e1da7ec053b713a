import Foundation
import Testing

/// The real seals and seal signatures in `Fixtures/` (see its README for origin and licence).
enum SealFixtures {
    static let root: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(path)))
    }

    /// One corpus seal signature: its `SignedValue.dat`, the `Signature.xml` its dataHash covers, and the
    /// `Seal.esl` beside it when the signer wrote one.
    struct SignedValue: CustomTestStringConvertible, Sendable {
        var folder: String
        var expectedVersion: Int
        var testDescription: String { folder }

        func signedValue() throws -> [UInt8] { try SealFixtures.bytes(folder + "/SignedValue.dat") }
        func signatureXML() throws -> [UInt8] { try SealFixtures.bytes(folder + "/Signature.xml") }
        func sealFile() throws -> [UInt8]? {
            let url = SealFixtures.root.appendingPathComponent(folder + "/Seal.esl")
            return FileManager.default.fileExists(atPath: url.path) ? Array(try Data(contentsOf: url)) : nil
        }
    }

    /// Every Seal-type SignedValue.dat in the corpus; all verify per SOURCES.txt.
    static let sealSignatures: [SignedValue] = [
        SignedValue(folder: "ofdrw/SESV4SignDoc/Sign_0", expectedVersion: 4),
        SignedValue(folder: "ofdrw/allprotected/Sign_0", expectedVersion: 4),
        SignedValue(folder: "ofdrw/gen_v1_seal/Sign_0", expectedVersion: 1),
        SignedValue(folder: "ofdrw/gen_v4_then_v4_whole/Sign_0", expectedVersion: 4),
        SignedValue(folder: "ofdrw/gen_v4_then_v4_whole/Sign_1", expectedVersion: 4),
        SignedValue(folder: "ofd-go/bank_receipt_1/Sign_0", expectedVersion: 4),
    ]

    /// The Sign-type SignedValue.dat files (GB/T 35275 ContentInfo), which are not seal signatures.
    static let signTypeSignatures: [String] = [
        "ofdrw/gen_pkcs9_sign/Sign_0/SignedValue.dat",
        "ofd-go/railway_ticket_12306/Sign_0/SignedValue.dat",
    ]

    /// The corpus signatures whose encoding is strict DER (every one except the Suwell bank receipt).
    static var strictDERSignatures: [SignedValue] { sealSignatures.filter { !$0.folder.hasPrefix("ofd-go") } }
}

