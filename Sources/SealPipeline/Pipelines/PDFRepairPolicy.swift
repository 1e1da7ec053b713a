public import SealPDF
public import SealReport

/// Whether a PDF whose cross-reference is broken may be stamped after rebuilding it by scanning.
///
/// Repair changes how objects are found, so a repaired document may not be the one its author sent: it is stamped
/// only when the caller allows it (pipeline `allow_repair: true`, CLI `--allow-repair`), and the caller reports it.
public enum PDFRepairPolicy {
    /// True when `bytes` read as a PDF only after rebuilding its cross-reference by scanning.
    public static func needsRepair(_ bytes: [UInt8], password: String? = nil) -> Bool {
        repaired(bytes, password: password) != nil
    }

    /// The document as read after rebuilding its cross-reference by scanning, or nil when it reads without a repair
    /// (or not at all).
    public static func repaired(_ bytes: [UInt8], password: String? = nil) -> PDFDocument? {
        do throws(PDFError) {
            _ = try PDFDocument(bytes: bytes, options: PDFReadOptions(password: password, allowRepair: false))
            return nil
        } catch {
            guard error.code == .xrefBroken || error.code == .malformed else { return nil }
            let repaired = try? PDFDocument(bytes: bytes, options: PDFReadOptions(password: password, allowRepair: true))
            return repaired?.wasRepaired == true ? repaired : nil
        }
    }

    /// The check for a repaired input that was written out in full before stamping (unsigned, unencrypted).
    public static let rewrittenInputCheck = Check.warning(
        "inputRepaired", .integrity,
        "the input PDF's cross-reference was broken and was rebuilt by scanning; the unsigned document was then "
            + "written out in full with a fresh cross-reference before stamping (allow_repair)")

    /// The check a report carries for `repaired`, the input as read after its repair.
    public static func check(for repaired: PDFDocument) -> Check {
        repaired.isEncrypted ? repairedInputCheck : rewrittenInputCheck
    }

    /// The document-level check a report carries when its input was repaired before stamping and stamped with an
    /// incremental update (an encrypted input; a warning: it does not change the verdict, it tells the reader what
    /// happened).
    public static let repairedInputCheck = Check.warning(
        "inputRepaired", .integrity,
        "the input PDF's cross-reference was broken and was rebuilt by scanning before stamping (allow_repair)")

    /// Opens `bytes` as the stamper reads them: repaired only when `allowRepair` is true.
    ///
    /// - Parameter howToAllow: what the error tells the user to do, e.g. "pass --allow-repair".
    /// - Throws: ``PDFStampError`` `unreadableDocument` when the document needs a repair that is not allowed or
    ///   cannot be read at all; `encryptedNeedsPassword` for an encrypted document without its password, `wrongPassword` when
    ///   the password given does not open it.
    public static func open(
        _ bytes: [UInt8], password: String? = nil, allowRepair: Bool, howToAllow: String
    ) throws(PDFStampError) -> PDFDocument {
        do throws(PDFError) {
            return try PDFDocument(bytes: bytes, options: PDFReadOptions(password: password, allowRepair: false))
        } catch {
            if error.code == .passwordRequired {
                throw PDFStampError(.encryptedNeedsPassword, "the document is encrypted: \(error.reason)")
            }
            if error.code == .wrongPassword {
                throw PDFStampError(.wrongPassword, "the document is encrypted and \(error.reason)")
            }
            guard error.code == .xrefBroken || error.code == .malformed else {
                throw PDFStampError(.unreadableDocument, "the document cannot be read as a PDF: \(error.reason)")
            }
            guard allowRepair else {
                throw PDFStampError(
                    .unreadableDocument,
                    "the PDF's cross-reference is broken (\(error.reason)); it can be stamped only after a repair "
                        + "that rebuilds it by scanning: \(howToAllow) if that is acceptable")
            }
        }
        do throws(PDFError) {
            return try PDFDocument(bytes: bytes, options: PDFReadOptions(password: password, allowRepair: true))
        } catch {
            throw PDFStampError(.unreadableDocument, "the document cannot be read or repaired: \(error.reason)")
        }
    }
}
