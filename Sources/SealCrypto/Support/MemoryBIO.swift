internal import CSealSSL

/// Owns a memory BIO.
final class MemoryBIO {
    let ref: OpaquePointer

    /// A read-only BIO over a copy of `bytes`.
    init(copying bytes: [UInt8]) throws(CryptoError) {
        let copy = bytes
        self.ref = try osslPointer("BIO_new") { BIO_new(BIO_s_mem()) }
        if !copy.isEmpty {
            let written = copy.withUnsafeBytes { BIO_write(ref, $0.baseAddress, Int32($0.count)) }
            guard written == Int32(copy.count) else { throw CryptoError(.openSSL, "BIO_write failed") }
        }
    }

    /// An empty writable BIO.
    init() throws(CryptoError) {
        self.ref = try osslPointer("BIO_new") { BIO_new(BIO_s_mem()) }
    }

    /// Everything written so far.
    var bytes: [UInt8] {
        var pointer: UnsafeMutablePointer<CChar>? = nil
        let count = CSealSSL_BIO_get_mem_data(ref, &pointer)
        guard count > 0, let pointer else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) { Array(UnsafeBufferPointer(start: $0, count: count)) }
    }

    deinit { BIO_free(ref) }
}
