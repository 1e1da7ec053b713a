import Synchronization

/// Parsed objects and object streams, shared by all threads reading one document.
final class ObjectCache: Sendable {
    enum Location: Hashable {
        case offset(Int)
        case compressed(streamNumber: Int, index: Int)
    }

    private let objects = Mutex<[Location: PDFObject]>([:])
    private let objectStreams = Mutex<[Int: ObjectStreamContents]>([:])  // keyed by the stream object's file offset
    /// The page list, once read without error (the document does not change, so neither does the list).
    private let pageList = Mutex<[PDFPage]?>(nil)

    var pages: [PDFPage]? {
        pageList.withLock { $0 }
    }

    func store(pages: [PDFPage]) {
        pageList.withLock { $0 = pages }
    }

    func object(at location: Location) -> PDFObject? {
        objects.withLock { $0[location] }
    }

    func store(_ object: PDFObject, at location: Location) {
        objects.withLock { $0[location] = object }
    }

    func objectStream(_ number: Int) -> ObjectStreamContents? {
        objectStreams.withLock { $0[number] }
    }

    func store(_ contents: ObjectStreamContents, forStream number: Int) {
        objectStreams.withLock { $0[number] = contents }
    }
}
