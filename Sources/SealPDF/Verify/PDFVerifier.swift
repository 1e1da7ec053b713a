import ElectronicSeal
import Foundation
import SealCrypto
import SealReport

/// Verifies every signature of a PDF and judges what happened to the document after each one was made.
///
/// Per signature: /ByteRange sanity (and that the signature dictionary holds the very /Contents the ranges cut
/// around), the revision it covers, digest and signature value (RSA / ECDSA / SM2 CMS, GB/T 38540 SES), the
/// certificate chain against the trust store, the signature timestamp, seal checks for SES, and a difference
/// analysis of every later revision. Document checks cover unreadable structure and unsigned trailing data.
/// The result is a value: nothing here throws.
public enum PDFVerifier {
    public static func verify(_ bytes: [UInt8], options: PDFVerifyOptions = .init()) -> VerificationReport {
        let fingerprint = Hex.string(Digest.hash(.sha256, bytes))
        let document: PDFDocument
        do throws(PDFError) {
            document = try PDFDocument(bytes: bytes, options: PDFReadOptions(password: options.password, allowRepair: false))
        } catch {
            let check: Check
            if error.code == .passwordRequired || error.code == .wrongPassword {
                check = .indeterminate("structure", .integrity, .signedDataNotFound, "the document is encrypted: \(error.reason)")
            } else {
                check = .failed("structure", .integrity, .formatFailure, "the PDF cannot be read without repair: \(error.reason)")
            }
            return VerificationReport(format: "pdf", documentSHA256: fingerprint, signatures: [], documentChecks: [check])
        }
        var documentChecks: [Check] = []
        for warning in document.warnings {
            documentChecks.append(.warning("structure", .integrity, warning))
        }
        if let trailing = trailingDataCheck(document) { documentChecks.append(trailing) }
        var signatures: [SignatureReport] = []
        for field in SignatureFieldLocator.signatureFields(document) {
            signatures.append(SignatureVerification(document: document, field: field, options: options).report())
        }
        return VerificationReport(
            format: "pdf", documentSHA256: fingerprint, signatures: signatures, documentChecks: documentChecks)
    }

    /// Bytes after the last revision's `%%EOF` that no cross-reference section accounts for.
    static func trailingDataCheck(_ document: PDFDocument) -> Check? {
        let end = document.revisions.map(\.endOffset).max() ?? document.bytes.count
        guard end < document.bytes.count else { return nil }
        let tail = document.bytes[end...]
        guard tail.contains(where: { !PDFWhitespace.isWhitespace($0) }) else { return nil }
        let text = Array(tail)
        let suspicious = ["obj", "xref", "trailer", "startxref"].contains { keyword in
            SignatureDictionaryLayout.find(Array(keyword.utf8), in: text, from: 0, to: text.count) != nil
        }
        if suspicious {
            return .failed(
                "unsignedTrailingData", .integrity, .formatFailure,
                "\(tail.count) bytes after the last revision hold PDF objects that no signature covers")
        }
        return .warning("unsignedTrailingData", .integrity, "\(tail.count) unsigned bytes follow the last revision")
    }
}
