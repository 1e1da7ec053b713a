/// Every way one revision reaches each of its objects: for an object number, the references that point at it —
/// from which object (or the trailer) and under which keys.
///
/// The difference analysis allows a later revision to rewrite certain objects (an unsigned field's appearance,
/// the catalog's /Extensions, /Info, DSS data). That permission is about a role, and an object number can play
/// several: a stream that is a field's appearance may also be drawn from somewhere else, or a dictionary may be
/// both /Extensions and some other key's value. So a change is allowed only when *every* path by which the signed
/// revision reaches the object passes through a reference the change is permitted to touch
/// (``isReachedOnly(_:through:)``) — pyHanko's "sneaky" update class.
struct ReferenceTracker {
    /// One reference to an object: where it sits.
    struct Edge: Hashable {
        /// The indirect object holding the reference; nil for the trailer.
        var from: Int?
        /// Keys (and array indices) from that object down to the reference.
        var path: [String]
    }

    private(set) var incoming: [Int: [Edge]] = [:]
    /// Object numbers reached from the trailer.
    var reachable: Set<Int> { Set(incoming.keys) }

    /// Objects visited at most; a hostile file cannot make the walk unbounded.
    static let objectLimit = 2_000_000
    /// Nesting of direct objects inside one indirect object that is followed.
    static let depthLimit = 64

    init(_ view: RevisionView, trailer: PDFDictionary) {
        var pending: [(number: Int, object: PDFObject)] = []
        var visited = Set<Int>()
        var work: [(object: PDFObject, from: Int?, path: [String], depth: Int)] = trailer.map {
            ($0.value, nil, [$0.key.string], 0)
        }
        while true {
            while let (object, from, path, depth) = work.popLast() {
                guard depth < Self.depthLimit else { continue }
                switch object {
                case .reference(let ref):
                    incoming[ref.number, default: []].append(Edge(from: from, path: path))
                    guard visited.count < Self.objectLimit, visited.insert(ref.number).inserted,
                        let target = view.object(ref)
                    else { continue }
                    pending.append((ref.number, target))
                case .array(let items):
                    for (index, item) in items.enumerated() { work.append((item, from, path + [String(index)], depth + 1)) }
                case .dictionary(let dictionary):
                    for entry in dictionary { work.append((entry.value, from, path + [entry.key.string], depth + 1)) }
                case .stream(let stream):
                    for entry in stream.dictionary { work.append((entry.value, from, path + [entry.key.string], depth + 1)) }
                default:
                    continue
                }
            }
            guard let (number, object) = pending.popLast() else { break }
            work.append((object, number, [], 0))
        }
    }

    /// True when every chain of references from the trailer to `number` passes through an edge `allowed` accepts
    /// (objects in between are followed up to a few levels). An object nothing references is trivially true.
    func isReachedOnly(_ number: Int, through allowed: (Edge) -> Bool) -> Bool {
        var visiting = Set<Int>()
        func check(_ number: Int, depth: Int) -> Bool {
            guard depth < 8 else { return false }
            guard visiting.insert(number).inserted else { return true }  // a cycle adds no new way in
            defer { visiting.remove(number) }
            for edge in incoming[number] ?? [] where !allowed(edge) {
                guard let from = edge.from, check(from, depth: depth + 1) else { return false }
            }
            return true
        }
        return check(number, depth: 0)
    }
}
