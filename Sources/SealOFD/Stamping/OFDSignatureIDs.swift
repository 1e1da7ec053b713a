/// Allocates signature and stamp-annotation IDs from one counter, as ofdrw and gomain do, keeping the style
/// (prefix letters and zero padding) of the IDs already in the document; `s001` style for a first signature.
struct OFDSignatureIDs {
    private var prefix: String
    private var width: Int
    private(set) var highest: Int

    init(existing: [String]) {
        var prefix = "s"
        var width = 3
        var highest = 0
        for id in existing {
            let trimmed = id.trimmingXMLWhitespace()
            let digits = trimmed.reversed().prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int(String(digits.reversed())) else { continue }
            if value >= highest {
                highest = value
                prefix = String(trimmed.dropLast(digits.count))
                width = digits.count > 1 && digits.last == "0" ? digits.count : 1
            }
        }
        if existing.isEmpty {
            prefix = "s"
            width = 3
        }
        self.prefix = prefix
        self.width = width
        self.highest = highest
    }

    mutating func next() -> String {
        highest += 1
        let digits = String(highest)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The ID of the highest value handed out or seen.
    var maximum: String {
        let digits = String(highest)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
