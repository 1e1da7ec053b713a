/// Undoes a stream's `/Filter` chain.
enum FilterPipeline {
    static func decode(_ data: [UInt8], dictionary: PDFDictionary, limits: PDFLimits) throws(PDFError) -> [UInt8] {
        let filters: [PDFObject]
        switch dictionary[.filter] {
        case nil, .null?: return data
        case .name(let name)?: filters = [.name(name)]
        case .array(let items)?: filters = items
        default: throw PDFError(.malformed, "/Filter is neither a name nor an array")
        }
        let parameters: [PDFObject]
        switch dictionary[.decodeParms] ?? dictionary["DP"] {
        case .array(let items)?: parameters = items
        case let single?: parameters = [single]
        case nil: parameters = []
        }
        guard filters.count <= 16 else { throw PDFError(.limitExceeded, "more than 16 filters on one stream") }
        var current = data
        for (index, filter) in filters.enumerated() {
            guard let name = filter.nameValue else { throw PDFError(.malformed, "filter name expected") }
            let parms = index < parameters.count ? parameters[index].dictionaryValue : nil
            current = try apply(name, parms: parms, to: current, limits: limits)
        }
        return current
    }

    static func apply(_ name: PDFName, parms: PDFDictionary?, to data: [UInt8], limits: PDFLimits)
        throws(PDFError) -> [UInt8]
    {
        let budget = DecodeBudget(encodedBytes: data.count, limits: limits)
        switch name.string {
        case "FlateDecode", "Fl":
            let inflated = try Flate.inflate(data, budget: budget)
            return try Predictor.decode(inflated, parms: parms, budget: budget)
        case "LZWDecode", "LZW":
            let early = parms?["EarlyChange"]?.integerValue ?? 1
            let decoded = try LZW.decode(data, earlyChange: early != 0, budget: budget)
            return try Predictor.decode(decoded, parms: parms, budget: budget)
        case "ASCIIHexDecode", "AHx": return try ASCIIHex.decode(data)
        case "ASCII85Decode", "A85": return try ASCII85.decode(data)
        case "RunLengthDecode", "RL": return try RunLength.decode(data, budget: budget)
        case "Crypt":
            // Only the Identity crypt filter can appear on decrypted data here.
            let filterName = parms?["Name"]?.nameValue?.string ?? "Identity"
            guard filterName == "Identity" else {
                throw PDFError(.unsupportedFilter, "Crypt filter \(filterName) on a stream")
            }
            return data
        default:
            throw PDFError(.unsupportedFilter, "filter \(name.string) is not decoded (left encoded)")
        }
    }
}
