/// A stream object: its dictionary and its data as stored in the file (after decryption, still filtered).
public struct PDFStream: Hashable, Sendable {
    /// The stream dictionary (with `/Length` as stored; the writer sets it from ``rawData``).
    public var dictionary: PDFDictionary
    /// The stream bytes as stored (decrypted when the document is encrypted), still encoded by its filters.
    public var rawData: [UInt8]

    /// Creates a stream.
    public init(dictionary: PDFDictionary, rawData: [UInt8]) {
        self.dictionary = dictionary
        self.rawData = rawData
    }

    /// The data with every filter in `/Filter` undone.
    ///
    /// `/Filter` and `/DecodeParms` must be direct here; ``PDFDocument/decodedData(of:)`` resolves indirect ones.
    /// - Throws: ``PDFError/Code/unsupportedFilter`` for image codecs (DCT, JPX, CCITT, JBIG2),
    ///   ``PDFError/Code/limitExceeded`` past the limits, ``PDFError/Code/decodeFailed`` for corrupt data.
    public func decoded(limits: PDFLimits = .init()) throws(PDFError) -> [UInt8] {
        try FilterPipeline.decode(rawData, dictionary: dictionary, limits: limits)
    }

    /// The filter names in order (empty when unfiltered).
    public var filters: [PDFName] {
        switch dictionary[.filter] {
        case .name(let name): return [name]
        case .array(let items): return items.compactMap(\.nameValue)
        default: return []
        }
    }
}
