public import SealPDF
public import SealReport

/// Whether a PDF whose cross-reference is broken may be stamped after rebuilding it by scanning.
///
/// Repair changes how objects are found, so a repaired document may not be the one its author sent: it is stamped
/// only when the caller allows it (pipeline `allow_repair: true`, CLI `--allow-repair`), and the caller reports it.
public enum PDFRepairPolicy {
    /// True when `bytes` read as a PDF only after rebuilding its cross-reference by scanning.
    public static func needsRepair(_ bytes: [UInt8], password: String? = nil) -> Bool {
        do throws(PDFError) {
            _ = try PDFDocument(bytes: bytes, options: PDFReadOptions(password: password, allowRepair: false))
            return false
        } catch {
            guard error.code == .xrefBroken || error.code == .malformed else { return false }
            let repaired = try? PDFDocument(bytes: bytes, options: PDFReadOptions(password: password, allowRepair: true))
            return repaired?.wasRepaired == true
        }
    }

    /// The document-level check a report carries when its input was repaired before stamping (a warning: it does
    /// not change the verdict, it tells the reader what happened).
    public static let repairedInputCheck = Check.warning(
        "inputRepaired", .integrity,
        "the input PDF's cross-reference was broken and was rebuilt by scanning before stamping (allow_repair)")

    /// Opens `bytes` as the stamper reads them: repaired only when `allowRepair` is true.
    ///
    /// - Parameter howToAllow: what the error tells the user to do, e.g. "pass --allow-repair".
    /// - Throws: ``PDFStampError`` `unreadableDocument` when the document needs a repair that is not allowed or
    ///   cannot be read at all; `encryptedNeedsPassword` for an encrypted document without its password.
    public static func open(
        _ bytes: [UInt8], password: String? = nil, allowRepair: Bool, howToAllow: String
    ) throws(PDFStampError) -> PDFDocument {
        do throws(PDFError) {
            return try PDFDocument(bytes: bytes, options: PDFReadOptions(password: password, allowRepair: false))
        } catch {
            if error.code == .passwordRequired || error.code == .wrongPassword {
                throw PDFStampError(.encryptedNeedsPassword, "the document is encrypted: \(error.reason)")
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
