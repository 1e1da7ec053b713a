import ArgumentParser
import ElectronicSeal
import Foundation
import SealCrypto
import SealReport

/// `sealpress seal inspect`: prints every field of a seal (or of a seal signature and its seal) and the
/// seal maker's signature verdict.
struct SealInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print every field of a seal (.esl) or seal signature (SignedValue.dat) and verify the seal.",
        discussion: """
            Checks the seal format, the seal maker's signature and the seal's validity at --at (default now); \
            with --trust, the maker's certificate chain too. For a seal signature, also the signature value and \
            the signer's place in the seal, and with --signed-content the dataHash. The exit status follows the \
            verdict, as for `sealpress verify`: 0 passed, 1 failed (a signature or dataHash fails, the seal is \
            expired at --at…), 2 indeterminate (e.g. no --trust: the maker cannot be traced to a root), 3 when \
            the file is not a seal.

            Examples:
              sealpress seal inspect seal.esl --trust roots.pem
              sealpress seal inspect seal.esl --json --extract-picture seal.png
            """
    )

    @Argument(help: "A seal (.esl) or an SES_Signature (SignedValue.dat).") var file: String
    @Flag(help: "Print JSON (every field, then the checks).") var json = false
    @Option(help: "Write the seal picture to this file (an existing file needs --force).") var extractPicture: String?
    @Flag(help: "Replace the --extract-picture file if it exists.") var force = false
    @Option(help: "PEM bundle of trusted roots for the maker certificate chain.") var trust: String?
    @Option(help: "Check validity at this time (2026-01-01 or ISO 8601; default now).") var at: String?
    @Option(help: "For a seal signature: the protected content (OFD: its Signature.xml) to check dataHash against.")
    var signedContent: String?

    func validate() throws {
        if let at, SealCommandInput.date(at) == nil { throw ValidationError("--at: use 2026-01-01 or ISO 8601") }
    }

    /// "; it looks like …" for the files people mistake for seals, or "" for anything else.
    static func whatItLooksLike(_ bytes: [UInt8]) -> String {
        switch DocumentFormat.detect(bytes) {
        case .pdf?: return "; it looks like a PDF document (verify it with sealpress verify)"
        case .ofd?: return "; it looks like an OFD document (verify it with sealpress verify)"
        case nil: break
        }
        if let picture = PictureKind.detect(bytes), picture != "ofd" {
            return "; it looks like a \(picture) image (a seal's picture is what seal make --picture takes)"
        }
        if bytes.starts(with: Array("-----BEGIN".utf8)) { return "; it looks like a PEM key or certificate" }
        return ""
    }

    func run() throws {
        let bytes = try SealCommandInput.read(file, what: "seal")
        let time = at.flatMap { SealCommandInput.date($0) } ?? Date()
        var trustStore: TrustStore?
        if let trust {
            let roots = try SealCommandInput.certificates(trust, what: "trust bundle")
            trustStore = TrustStore(roots: roots)
        }
        let seal: SESeal
        var signature: SESSignature?
        do {
            seal = try SESeal(bytes: bytes)
        } catch let sealError as ElectronicSealError {
            do {
                let parsed = try SESSignature(bytes: bytes)
                signature = parsed
                seal = parsed.seal
            } catch let error as ElectronicSealError {
                // For a file of another kind the parsers' reasons name ASN.1 tags: say what it looks like instead.
                // For a damaged or unsupported seal their reason is what a person needs.
                let looks = Self.whatItLooksLike(bytes)
                let reason = error.code == .notASealSignature ? error.reason : sealError.reason
                throw CouldNotRun(
                    "\(file) is neither a seal (.esl, GB/T 38540 or GM/T 0031 SESeal) nor a seal signature"
                        + (looks.isEmpty ? ": \(reason)" : looks))
            }
        }
        // A seal signature: its own checks too (dataHash only when the protected content is given).
        var signedData = SealSignedData.unavailable
        if let signedContent { signedData = .content(try SealCommandInput.read(signedContent, what: "signed content")) }
        let checks =
            signature.map { SealVerifier.verify(signature: $0, signedData: signedData, trust: trustStore, at: time) }
            ?? SealVerifier.verify(seal: seal, at: time, trust: trustStore)
        if let extractPicture {
            try OutputFile.checkWritable(extractPicture, force: force, what: "picture file")
            do {
                try Data(seal.picture.data).write(to: URL(fileURLWithPath: extractPicture), options: .atomic)
            } catch {
                throw CouldNotRun("cannot write \(extractPicture)")
            }
        }
        if json {
            print(try jsonText(seal: seal, signature: signature, checks: checks))
        } else {
            print(SealInspectionText.render(seal: seal, signature: signature, checks: checks, file: file, size: bytes.count))
            if let extractPicture { print("picture written to \(extractPicture)") }
        }
        // Like verify: 0 passed, 1 failed, 2 indeterminate.
        let verdict = Verdict(checks: checks)
        if verdict.indication != .passed { throw ExitCode(verdict.indication.exitCode) }
    }

    private func jsonText(seal: SESeal, signature: SESSignature?, checks: [Check]) throws -> String {
        struct Output: Encodable {
            var kind: String
            var seal: SealDescription?
            var signature: SealSignatureDescription?
            var checks: [Check]
            var verdict: Verdict
        }
        let output = Output(
            kind: signature == nil ? "seal" : "sealSignature",
            seal: signature == nil ? SealDescription(seal) : nil,
            signature: signature.map(SealSignatureDescription.init), checks: checks, verdict: Verdict(checks: checks))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }
}
