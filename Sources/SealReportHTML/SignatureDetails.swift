public import Foundation

/// What a readable report shows about one signature beyond the JSON ``SealReport/SignatureReport``: the seal's
/// picture and fields, and where the seal sits. Read from the document itself (see ``DocumentDetails``), never
/// trusted for the verdict — the checks of the JSON report decide that.
public struct SignatureDetails: Sendable, Hashable {
    /// The seal's picture as stored in the SES seal.
    public struct Picture: Sendable, Hashable {
        /// The type the seal records (`PNG`, `JPG`, `GIF`, `BMP`, `ofd`, `svg`…), as written.
        public var declaredType: String
        public var bytes: [UInt8]
        public var widthMM: Int
        public var heightMM: Int

        public init(declaredType: String, bytes: [UInt8], widthMM: Int, heightMM: Int) {
            self.declaredType = declaredType
            self.bytes = bytes
            self.widthMM = widthMM
            self.heightMM = heightMM
        }

        /// The MIME type a browser can show, from the content (never from the declared type), or nil when the
        /// picture is not a raster image a browser displays (OFD vector seals, unknown data).
        public var displayableMIMEType: String? {
            if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
            if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
            if bytes.starts(with: Array("GIF8".utf8)) { return "image/gif" }
            if bytes.starts(with: Array("BM".utf8)) { return "image/bmp" }
            return nil
        }
    }

    /// The seal's fields (GB/T 38540 SESeal / GM/T 0031).
    public struct Seal: Sendable, Hashable {
        public var name: String
        public var esID: String
        /// Seal type code (1 official seal, 2 special-purpose seal, … as the maker recorded it).
        public var type: Int
        public var vendorID: String
        /// `GB/T 38540-2020` or `GM/T 0031-2014`.
        public var standard: String
        /// Subjects of the certificates the seal lists (who may use it).
        public var owners: [String]
        /// The seal maker's certificate subject and issuer.
        public var maker: String?
        public var makerIssuer: String?
        public var validFrom: Date?
        public var validTo: Date?
        public var created: Date?

        public init(
            name: String, esID: String, type: Int, vendorID: String, standard: String, owners: [String],
            maker: String?, makerIssuer: String?, validFrom: Date?, validTo: Date?, created: Date?
        ) {
            self.name = name
            self.esID = esID
            self.type = type
            self.vendorID = vendorID
            self.standard = standard
            self.owners = owners
            self.maker = maker
            self.makerIssuer = makerIssuer
            self.validFrom = validFrom
            self.validTo = validTo
            self.created = created
        }
    }

    /// Where the seal appears: a box on a page, in millimetres from the page's bottom-left corner.
    public struct Placement: Sendable, Hashable {
        /// 1-based page number.
        public var page: Int
        public var pageWidthMM: Double
        public var pageHeightMM: Double
        public var xMM: Double
        public var yMM: Double
        public var widthMM: Double
        public var heightMM: Double

        public init(
            page: Int, pageWidthMM: Double, pageHeightMM: Double, xMM: Double, yMM: Double, widthMM: Double,
            heightMM: Double
        ) {
            self.page = page
            self.pageWidthMM = pageWidthMM
            self.pageHeightMM = pageHeightMM
            self.xMM = xMM
            self.yMM = yMM
            self.widthMM = widthMM
            self.heightMM = heightMM
        }
    }

    public var picture: Picture?
    public var seal: Seal?
    public var placements: [Placement]
    /// The time the signer claimed inside the SES signature (`timeInfo`), when there is one.
    public var sealSignatureTime: Date?
    /// Whether the SES signature carries a timestamp token.
    public var hasSealTimestamp: Bool

    public init(
        picture: Picture? = nil, seal: Seal? = nil, placements: [Placement] = [], sealSignatureTime: Date? = nil,
        hasSealTimestamp: Bool = false
    ) {
        self.picture = picture
        self.seal = seal
        self.placements = placements
        self.sealSignatureTime = sealSignatureTime
        self.hasSealTimestamp = hasSealTimestamp
    }
}
