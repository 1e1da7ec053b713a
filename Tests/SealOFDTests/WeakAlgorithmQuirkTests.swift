import ElectronicSeal
import Foundation
import SealCrypto
import SealReport
import SealTestSupport
import Testing
@testable import SealOFD

/// Older signers' choices, made here from the corpus's helloworld.ofd: stamped with the test PKI, its Signature.xml
/// rewritten (CheckMethod, CheckValues, SignatureDateTime) and signed again so that only the quirk differs. Weak
/// digests are indeterminate (CRYPTO_CONSTRAINTS_FAILURE) even when they match, a mismatch still fails, and every
/// tolerated deviation is listed in the report's `quirks`.
@Suite struct WeakAlgorithmQuirkTests {
    let seals = TestSeals.shared
    static let signaturePath = "Doc_0/Signs/Sign_0/Signature.xml"
    static let signedValuePath = "Doc_0/Signs/Sign_0/SignedValue.dat"

    func request() throws -> OFDStampRequest {
        OFDStampRequest(
            seal: seals.v4Seal, signer: try seals.signer(), placements: [OFDStampPlacement(page: .last, xMM: 60, yMM: 60)])
    }

    /// Stamps helloworld.ofd, rewrites its Signature.xml with `edit` (given the package, to digest files), and signs
    /// the rewritten Signature.xml again with the same seal and signer.
    func resigned(_ edit: (String, ZipArchive) throws -> String) throws -> [UInt8] {
        let signed = try OFDStamper.stamp(try Fixture.bytes("helloworld.ofd"), request: try request())
        let archive = try ZipArchive(signed)
        let xml = try edit(String(decoding: try archive.contents(of: Self.signaturePath), as: UTF8.self), archive)
        let xmlBytes = Array(xml.utf8)
        let value = try OFDSealSigning.sesSignature(
            seal: try SESeal(bytes: seals.v4Seal), dataHash: Digest.hash(.sm3, xmlBytes),
            propertyInfo: "/" + Self.signaturePath, request: try request())
        var writer = ZipWriter()
        for entry in archive.entries {
            switch entry.path {
            case Self.signaturePath: try writer.add(path: entry.path, contents: xmlBytes, time: 0, date: 33)
            case Self.signedValuePath: try writer.add(path: entry.path, contents: value, time: 0, date: 33)
            default: try writer.copy(entry, from: archive)
            }
        }
        return try writer.finish()
    }

    /// Every `<CheckValue>` recomputed with `digest` over the file its `FileRef` names; `tamper` names a file whose
    /// value is computed over other bytes (a change after signing).
    static func redigest(
        _ xml: String, _ archive: ZipArchive, tamper: String? = nil, replaced: [String: [UInt8]] = [:],
        _ digest: ([UInt8]) throws -> [UInt8]
    ) throws -> String {
        let pattern = try NSRegularExpression(pattern: #"FileRef="([^"]+)"(\s*)>(\s*)<(\w+:)?CheckValue>[^<]*<"#)
        var result = xml
        for match in pattern.matches(in: xml, range: NSRange(xml.startIndex..., in: xml)).reversed() {
            let fileRef = String(xml[Range(match.range(at: 1), in: xml)!])
            let path = fileRef.hasPrefix("/") ? String(fileRef.dropFirst()) : fileRef
            var bytes = try replaced[path] ?? archive.contents(of: path)
            if path == tamper { bytes += Array(" changed".utf8) }
            let prefix = match.range(at: 4).location == NSNotFound ? "" : String(xml[Range(match.range(at: 4), in: xml)!])
            let whole = Range(match.range, in: xml)!
            result.replaceSubrange(whole, with: "FileRef=\"\(fileRef)\"><\(prefix)CheckValue>\(Base64.encode(try digest(bytes)))<")
        }
        return result
    }

    static func method(_ xml: String, _ name: String) -> String {
        xml.replacingOccurrences(of: #"CheckMethod="1.2.156.10197.1.401""#, with: "CheckMethod=\"\(name)\"")
    }

    @Test func md5CheckValuesThatMatchAreIndeterminateWithACryptoConstraintsFailureAndAQuirk() throws {
        let bytes = try resigned { xml, archive in try Self.redigest(Self.method(xml, "MD5"), archive) { try Digest.md5($0) } }
        let report = OFDVerifier.verify(bytes, trust: seals.pki.trustStore)
        let signature = try #require(report.signatures.first)
        let digest = signature.checks.first { $0.name == "referenceDigest" }
        #expect(digest?.status == .indeterminate, "\(signature.checks)")
        #expect(digest?.subIndication == .cryptoConstraintsFailure)
        #expect(signature.verdict.indication == .indeterminate)
        #expect(signature.verdict.subIndication == .cryptoConstraintsFailure, "\(signature.verdict)")
        #expect(signature.quirks.contains { $0.contains("'MD5'") }, "\(signature.quirks)")
        // The seal signature itself still verifies: only the weak digests make it indeterminate.
        #expect(signature.checks.filter { $0.status == .failed }.isEmpty, "\(signature.checks)")
    }

    @Test func sha1CheckValuesWrittenAsANameAreIndeterminateToo() throws {
        let bytes = try resigned { xml, archive in
            try Self.redigest(Self.method(xml, "SHA1"), archive) { Digest.hash(.sha1, $0) }
        }
        let signature = try #require(OFDVerifier.verify(bytes, trust: seals.pki.trustStore).signatures.first)
        #expect(signature.verdict.indication == .indeterminate)
        #expect(signature.verdict.subIndication == .cryptoConstraintsFailure, "\(signature.verdict)")
        #expect(signature.quirks.contains { $0.contains("'SHA1'") && $0.contains("sha1") }, "\(signature.quirks)")
    }

    @Test func aWeakDigestThatDoesNotMatchStillFails() throws {
        let bytes = try resigned { xml, archive in
            try Self.redigest(Self.method(xml, "MD5"), archive, tamper: "Doc_0/Document.xml") { try Digest.md5($0) }
        }
        let signature = try #require(OFDVerifier.verify(bytes, trust: seals.pki.trustStore).signatures.first)
        #expect(signature.verdict.indication == .failed, "\(signature.checks)")
        #expect(signature.verdict.subIndication == .hashFailure)
    }

    @Test func anSM3CheckMethodNameIsAQuirkThatStillPasses() throws {
        let bytes = try resigned { xml, _ in Self.method(xml, "SM3") }
        let report = OFDVerifier.verify(bytes, trust: seals.pki.trustStore)
        #expect(report.verdict.indication == .passed, "\(report.verdict.reasons)")
        #expect(report.signatures.first?.quirks.contains { $0.contains("'SM3'") } == true)
        // Our own output has no quirk.
        let own = OFDVerifier.verify(try OFDStamper.stamp(try Fixture.bytes("helloworld.ofd"), request: try request()), trust: seals.pki.trustStore)
        #expect(own.signatures.first?.quirks == [])
    }

    @Test func aSignatureDateTimeWrittenAsAUnixEpochIsReadAndRecorded() throws {
        let bytes = try resigned { xml, _ in
            xml.replacingOccurrences(of: #"SignatureDateTime>[^<]*<"#, with: "SignatureDateTime>1735689600<", options: .regularExpression)
        }
        let report = OFDVerifier.verify(bytes, trust: seals.pki.trustStore)
        #expect(report.verdict.indication == .passed, "\(report.verdict.reasons)")
        let quirks = report.signatures.first?.quirks ?? []
        #expect(quirks.contains { $0.contains("SignatureDateTime") && $0.contains("Unix epoch") && $0.contains("20250101000000Z") }, "\(quirks)")
        // The quirks travel in the JSON report, and reports stored before the field existed still decode.
        let json = String(decoding: try report.jsonData(), as: UTF8.self)
        #expect(json.contains("\"quirks\""))
        var object = try JSONSerialization.jsonObject(with: try report.jsonData()) as! [String: Any]
        var signatures = object["signatures"] as! [[String: Any]]
        signatures[0].removeValue(forKey: "quirks")
        object["signatures"] = signatures
        let old = try VerificationReport.decode(json: try JSONSerialization.data(withJSONObject: object))
        #expect(old.signatures.first?.quirks == [])
    }

    @Test func sealTimesReadEpochsInSecondsAndMillisecondsButNeverTakeACalendarDateForOne() {
        #expect(SESTime.read("1735689600")?.date == Date(timeIntervalSince1970: 1_735_689_600))
        #expect(SESTime.read("1735689600123")?.date == Date(timeIntervalSince1970: 1_735_689_600))
        #expect(SESTime.read("1735689600")?.quirk?.contains("Unix epoch") == true)
        #expect(SESTime.read("20250101120000Z")?.quirk == nil)
        #expect(SESTime.read("2501011200")?.quirk == nil, "a compact YYMMDDhhmm date, not an epoch")
        #expect(SESTime.read("9999999999") == nil, "an epoch beyond 2100 is not a time")
        #expect(SESTime.read("soon") == nil)
    }

    @Test func anRSASHA1SealSignatureThatVerifiesIsIndeterminateNotPassed() throws {
        let rsa = seals.pki.rsaSigner
        let now = Date()
        let rsaSeal = try TestSeals.v4(
            maker: seals.pki.sealMaker, listing: [rsa.certificate.der], from: now.addingTimeInterval(-86_400),
            to: now.addingTimeInterval(365 * 86_400))
        // SealCrypto signs with SHA-1 never (verification only): the old signer is played by the openssl CLI.
        let found = TestEnvironment.executable("openssl")
        guard TestEnvironment.peerAvailable("openssl", found != nil), let openssl = found else { return }
        let folder = try TestEnvironment.temporaryDirectory("rsa-sha1-seal")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyFile = folder.appendingPathComponent("key.pem")
        try Data(try rsa.key.pem(password: nil).utf8).write(to: keyFile)
        let signer = ExternalSigner(algorithm: .rsaPKCS1SHA1, certificate: rsa.certificate) { message in
            let input = folder.appendingPathComponent("tbs.der")
            let output = folder.appendingPathComponent("sig.bin")
            try Data(message).write(to: input)
            let result = try TestEnvironment.run(
                openssl, ["dgst", "-sha1", "-sign", keyFile.path, "-out", output.path, input.path])
            guard result.status == 0 else { throw CryptoError(.signingFailed, "openssl: \(result.stderr)") }
            return [UInt8](try Data(contentsOf: output))
        }
        // Our SM2 stamp, its seal swapped for the RSA seal, Signature.xml's digests updated, signed with RSA-SHA1.
        let signed = try OFDStamper.stamp(try Fixture.bytes("helloworld.ofd"), request: try request())
        let archive = try ZipArchive(signed)
        let sealPath = try #require(archive.entries.map(\.path).first { $0.hasSuffix("Seal.esl") })
        let xml = try Self.redigest(
            String(decoding: try archive.contents(of: Self.signaturePath), as: UTF8.self), archive,
            replaced: [sealPath: rsaSeal]) { Digest.hash(.sm3, $0) }
        let xmlBytes = Array(xml.utf8)
        var builder = SealSignatureBuilder(
            seal: try SESeal(bytes: rsaSeal), dataHash: Digest.hash(.sha1, xmlBytes), propertyInfo: "/" + Self.signaturePath)
        builder.signingTime = now
        let value = Array(try builder.build(signer: signer, timeStamper: nil).derEncoded)
        var writer = ZipWriter()
        for entry in archive.entries {
            switch entry.path {
            case Self.signaturePath: try writer.add(path: entry.path, contents: xmlBytes, time: 0, date: 33)
            case Self.signedValuePath: try writer.add(path: entry.path, contents: value, time: 0, date: 33)
            case sealPath: try writer.add(path: entry.path, contents: rsaSeal, time: 0, date: 33)
            default: try writer.copy(entry, from: archive)
            }
        }
        let signature = try #require(OFDVerifier.verify(try writer.finish(), trust: seals.pki.trustStore).signatures.first)
        #expect(signature.checks.first { $0.name == "signatureValue" }?.status == .passed, "\(signature.checks)")
        let weak = signature.checks.first { $0.name == "signatureAlgorithm" }
        #expect(weak?.status == .indeterminate && weak?.subIndication == .cryptoConstraintsFailure, "\(signature.checks)")
        #expect(signature.verdict.indication == .indeterminate, "\(signature.checks)")
        #expect(signature.checks.filter { $0.status == .failed }.isEmpty, "\(signature.checks)")
    }

    @Test func corpusQuirksAreListedAndOurOwnOutputsHaveNone() throws {
        let bank = OFDVerifier.verify(try Fixture.bytes("bank_receipt_1.ofd")).signatures.first?.quirks ?? []
        #expect(bank.contains { $0.contains("'20220221142531' names no time zone") }, "\(bank)")
        let ticket = OFDVerifier.verify(try Fixture.bytes("售票换开样例.ofd")).signatures.first?.quirks ?? []
        #expect(ticket.contains { $0.contains("the name 'sm3'") }, "\(ticket)")
        // A base64 SignedValue.dat is decoded and said so.
        let signed = try OFDStamper.stamp(try Fixture.bytes("helloworld.ofd"), request: try request())
        let archive = try ZipArchive(signed)
        var writer = ZipWriter()
        for entry in archive.entries {
            if entry.path == Self.signedValuePath {
                try writer.add(
                    path: entry.path, contents: Array(Base64.encode(try archive.contents(of: entry.path)).utf8), time: 0, date: 33)
            } else {
                try writer.copy(entry, from: archive)
            }
        }
        let report = OFDVerifier.verify(try writer.finish(), trust: seals.pki.trustStore)
        #expect(report.verdict.indication == .passed, "\(report.verdict.reasons)")
        #expect(report.signatures.first?.quirks == ["SignedValue.dat holds the value as base64 text (decoded)"])
    }
}
