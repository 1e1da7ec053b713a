import Synchronization

/// Every position of one keyword in the file, found by a single scan on first use.
///
/// Recovery paths (a wrong `/Length`, a missing `%%EOF`) ask "where is the next keyword after offset X?";
/// answering from this index keeps many such questions linear in the file size instead of quadratic.
final class KeywordIndex: Sendable {
    private let keyword: [UInt8]
    private let positions = Mutex<[Int]?>(nil)  // written once, on first use

    init(_ keyword: String) { self.keyword = Array(keyword.utf8) }

    /// The first position ≥ `offset` where the keyword starts, or nil.
    func next(after offset: Int, in bytes: [UInt8]) -> Int? {
        let all = allPositions(in: bytes)
        var low = 0
        var high = all.count
        while low < high {
            let mid = (low + high) / 2
            if all[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low < all.count ? all[low] : nil
    }

    private func allPositions(in bytes: [UInt8]) -> [Int] {
        positions.withLock { positions in
            if let positions { return positions }
            var found: [Int] = []
            var position = 0
            while let hit = ByteSearch.firstIndex(of: keyword, in: bytes, from: position) {
                found.append(hit)
                position = hit + keyword.count
            }
            positions = found
            return found
        }
    }
}
