/// DER SET OF ordering: encodings compared as octet strings, the shorter padded with zeros.
enum DERSorting {
    static func lessThan(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        for index in 0..<max(lhs.count, rhs.count) {
            let a = index < lhs.count ? lhs[index] : 0
            let b = index < rhs.count ? rhs[index] : 0
            if a != b { return a < b }
        }
        return lhs.count < rhs.count
    }
}
