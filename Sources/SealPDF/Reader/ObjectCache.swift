import Foundation

/// Parsed objects and object streams, shared by all threads reading one document.
final class ObjectCache: @unchecked Sendable {  // all state is guarded by `lock`
    enum Location: Hashable {
        case offset(Int)
        case compressed(streamNumber: Int, index: Int)
    }

    private let lock = NSLock()
    private var objects: [Location: PDFObject] = [:]
    private var objectStreams: [Int: ObjectStreamContents] = [:]  // keyed by the stream object's file offset

    func object(at location: Location) -> PDFObject? {
        lock.lock()
        defer { lock.unlock() }
        return objects[location]
    }

    func store(_ object: PDFObject, at location: Location) {
        lock.lock()
        objects[location] = object
        lock.unlock()
    }

    func objectStream(_ number: Int) -> ObjectStreamContents? {
        lock.lock()
        defer { lock.unlock() }
        return objectStreams[number]
    }

    func store(_ contents: ObjectStreamContents, forStream number: Int) {
        lock.lock()
        objectStreams[number] = contents
        lock.unlock()
    }
}
