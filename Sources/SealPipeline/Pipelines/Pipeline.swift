public import ElectronicSeal
public import Foundation
public import SealCrypto

/// A declarative stamping pipeline (`Pipelines/*.yaml`): which seal, where, in which signature format, which checks.
///
/// A stamp job names a pipeline; the worker applies it to the job's document whatever its format.
public struct Pipeline: Sendable, Hashable, Codable {
    /// Unique name jobs refer to (`[a-z0-9][a-z0-9._-]*`).
    public var name: String
    public var description: String?
    /// The registered seal to use (its registry name or esID).
    public var seal: String
    /// Where the seal goes; at least one.
    public var placements: [Placement]
    /// Signature format for PDF documents.
    public var pdfFormat: PDFSignatureFormat
    /// Signature format for OFD documents.
    public var ofdFormat: OFDSignatureFormat
    /// RFC 3161 time-stamping authority; required by `pades-b-t`.
    public var tsaURL: URL?
    /// Lock OFD documents after signing (protect Signatures.xml). YAML `lock: true` or `lock: ofd`.
    public var lock: Bool
    /// Lock PDF documents too (DocMDP certification, no changes): YAML `lock: true`. A PDF is locked only by its
    /// first signature, so ``PipelineValidation`` refuses it with several placements.
    public var lockPDF: Bool
    /// Stamp a PDF whose cross-reference is broken after rebuilding it by scanning (YAML `allow_repair: true`).
    /// Off by default: a repaired document may not be the one its author sent.
    public var allowRepair: Bool
    /// Verify the signed output before it is stored; a failed verification fails the job.
    public var verifyAfterSigning: Bool
    /// PDF /Reason and /Location.
    public var reason: String?
    public var location: String?
    /// How `verify_after_signing` judges the signatures the input already carried (YAML `earlier_signatures`):
    /// the signatures just added are always judged fully (integrity and, with trust anchors, trust).
    public var earlierSignatures: EarlierSignaturesPolicy = .integrity
    /// How `verify_after_signing` checks revocation of the signer chains (YAML `revocation: soft|hard|off`,
    /// default soft; see ``RevocationPolicy``).
    public var revocation: RevocationPolicy = .soft
    /// The password of encrypted PDF inputs, by reference (YAML `password_ref: env:NAME` or `file:PATH`), read on
    /// the worker; the output keeps the input's encryption.
    public var passwordRef: PasswordReference?
    /// Inputs larger than this many bytes fail at once with `documentTooLarge` (YAML `max_document_bytes: 20MB`);
    /// nil: no limit.
    public var maxDocumentBytes: Int?
    /// Inputs with more pages than this fail with `tooManyPages` before anything is signed (YAML `max_pages`).
    public var maxPages: Int?
    /// Unique by content: `sealpress enqueue stamp` refuses a second job for the same document and this pipeline
    /// created within this many seconds (YAML `unique_within: 24h`), returning the earlier job as a duplicate.
    public var uniqueWithinSeconds: Double?
    /// Seal status services (YAML `status_services: [URL, …]`, http(s)) that `verify` jobs naming this pipeline
    /// (`sealpress enqueue verify --pipeline P`) consult besides the worker's `--status-service` ones: the
    /// `sealStatus` check (Docs/status-service.md). Like the worker flag, not applied to `verify_after_signing`.
    public var statusServices: [URL] = []

    public init(
        name: String, description: String? = nil, seal: String, placements: [Placement],
        pdfFormat: PDFSignatureFormat = .padesBB, ofdFormat: OFDSignatureFormat = .sesV4, tsaURL: URL? = nil,
        lock: Bool = false, lockPDF: Bool? = nil, allowRepair: Bool = false, verifyAfterSigning: Bool = true,
        reason: String? = nil, location: String? = nil
    ) {
        self.name = name
        self.description = description
        self.seal = seal
        self.placements = placements
        self.pdfFormat = pdfFormat
        self.ofdFormat = ofdFormat
        self.tsaURL = tsaURL
        self.lock = lock
        self.lockPDF = lockPDF ?? lock
        self.allowRepair = allowRepair
        self.verifyAfterSigning = verifyAfterSigning
        self.reason = reason
        self.location = location
    }
}

/// Where one seal image goes. Coordinates are millimetres from the page's bottom-left corner (PDF convention;
/// the OFD engine converts to its top-left system).
public struct Placement: Sendable, Hashable, Codable {
    public enum Pages: Sendable, Hashable, Codable {
        /// One page, 1-based.
        case page(Int)
        /// The first page.
        case first
        /// The last page, whatever the document's length.
        case last
        /// Every page (one appearance per page).
        case every
    }

    public var pages: Pages
    public var xMM: Double
    public var yMM: Double
    /// Width in millimetres; nil means the seal's own size.
    public var widthMM: Double?
    /// Height in millimetres; nil keeps the image's aspect ratio.
    public var heightMM: Double?
    /// Keyword placement (关键字签章): the seal is centred on where the text is printed; ``pages``, ``xMM`` and
    /// ``yMM`` are then only the fallback position (used when ``KeywordAnchor/hasFallback`` is set).
    public var keyword: KeywordAnchor?
    /// Riding seal (骑缝章): one signature whose picture is cut into slices across the page edges; ``pages``,
    /// ``xMM`` and ``yMM`` are then unused.
    public var riding: RidingAnchor?

    public init(
        pages: Pages, xMM: Double, yMM: Double, widthMM: Double? = nil, heightMM: Double? = nil,
        keyword: KeywordAnchor? = nil, riding: RidingAnchor? = nil
    ) {
        self.keyword = keyword
        self.riding = riding
        self.pages = pages
        self.xMM = xMM
        self.yMM = yMM
        self.widthMM = widthMM
        self.heightMM = heightMM
    }

    /// The 1-based page numbers this placement covers in a document of `pageCount` pages.
    public func pageNumbers(pageCount: Int) -> [Int] {
        guard pageCount > 0 else { return [] }
        switch pages {
        case .page(let n): return n <= pageCount ? [n] : []
        case .first: return [1]
        case .last: return [pageCount]
        case .every: return Array(1...pageCount)
        }
    }
}

/// Where a keyword placement puts the seal: centred on a match of one of the keywords, moved by the offset.
public struct KeywordAnchor: Sendable, Hashable, Codable {
    /// Which match(es) get a seal, in reading order (page, top to bottom, left to right).
    public typealias Occurrence = KeywordOccurrence

    /// The texts to find (white space ignored); matches of all of them count.
    public var keywords: [String]
    public var occurrence: Occurrence
    /// 1-based pages searched; nil: all pages.
    public var pages: ClosedRange<Int>?
    /// Offset of the seal's centre from the match's centre, millimetres (x right, y up).
    public var offsetXMM: Double
    public var offsetYMM: Double
    /// True when the placement's page/x/y are a fallback for documents without the keyword; false makes a missing
    /// keyword a `keywordNotFound` failure.
    public var hasFallback: Bool

    public init(
        keywords: [String], occurrence: Occurrence = .first, pages: ClosedRange<Int>? = nil, offsetXMM: Double = 0,
        offsetYMM: Double = 0, hasFallback: Bool = false
    ) {
        self.keywords = keywords
        self.occurrence = occurrence
        self.pages = pages
        self.offsetXMM = offsetXMM
        self.offsetYMM = offsetYMM
        self.hasFallback = hasFallback
    }
}

/// A riding seal (骑缝章): one seal picture cut into slices, one slice on the chosen edge of each selected page.
/// The same options for PDF (SealPDF's `PDFRidingSeal`) and OFD (SealOFD's `OFDRidingSeal`).
public struct RidingAnchor: Sendable, Hashable, Codable {
    public enum Edge: String, Sendable, Hashable, Codable, CaseIterable {
        case left, right, top, bottom
    }

    /// Which pages carry a slice.
    public enum Pages: Sendable, Hashable, Codable, CustomStringConvertible {
        case all
        case odd
        case even
        /// 1-based, inclusive.
        case range(ClosedRange<Int>)

        /// Parses `all`, `odd`, `even`, `N` or `A-B` (1 ≤ A ≤ B).
        public init?(_ text: String) {
            switch text.lowercased() {
            case "all": self = .all
            case "odd": self = .odd
            case "even": self = .even
            default:
                let parts = text.split(separator: "-", omittingEmptySubsequences: false)
                guard parts.count <= 2, let first = Int(parts[0].trimmingCharacters(in: .whitespaces)),
                    let last = Int(parts[parts.count - 1].trimmingCharacters(in: .whitespaces)), first >= 1, first <= last
                else { return nil }
                self = .range(first...last)
            }
        }

        public var description: String {
            switch self {
            case .all: "all"
            case .odd: "odd"
            case .even: "even"
            case .range(let range): "\(range.lowerBound)-\(range.upperBound)"
            }
        }
    }

    public var edge: Edge
    public var pages: Pages
    /// Number of slices; nil: one per selected page.
    public var slices: Int?
    /// Gap between the page edge and the slice, millimetres.
    public var marginMM: Double
    /// Share of the picture on the first page, in (0, 1); nil: equal slices.
    public var firstPageShare: Double?

    public init(edge: Edge, pages: Pages = .all, slices: Int? = nil, marginMM: Double = 0, firstPageShare: Double? = nil) {
        self.edge = edge
        self.pages = pages
        self.slices = slices
        self.marginMM = marginMM
        self.firstPageShare = firstPageShare
    }
}

/// PDF signature formats, named as on the command line.
public enum PDFSignatureFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case padesBB = "pades-b-b"
    case padesBT = "pades-b-t"
    /// PAdES B-T plus a DSS with revocation data for the signer and TSA chains.
    case padesBLT = "pades-b-lt"
    /// PAdES B-LT plus a document timestamp.
    case padesBLTA = "pades-b-lta"
    case pkcs7 = "pkcs7"
    case sm2 = "sm2"
    case ses = "ses"
}

/// OFD signature formats, named as on the command line.
public enum OFDSignatureFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// GB/T 38540-2020 SES_Signature v4 (the default).
    case sesV4 = "ses"
    /// GM/T 0031-2014 SES_Signature v1.
    case sesV1 = "ses-v1"
    /// Sign-type: GB/T 35275 SignedData.
    case sign = "sign"
}

/// How `verify_after_signing` judges signatures a document carried before it was stamped (a bank's receipt, a
/// railway ticket, a vendor's invoice): another party's signature need not chain to our trust anchors.
public enum EarlierSignaturesPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Each earlier signature must still verify (its digest, signature value and the later changes it allows);
    /// whether its signer is trusted is reported, not required. The default.
    case integrity
    /// Each earlier signature must pass as ours do: integrity and trust.
    case full
    /// Earlier signatures are reported but do not decide the job.
    case ignore
}
