internal import CSealSSL

/// Owns one `X509` (used only to hand certificates to OpenSSL APIs that need them).
final class X509Object {
    let ref: OpaquePointer
    init(der: [UInt8]) throws(CryptoError) {
        self.ref = try der.withUnsafeBufferPointer { buffer throws(CryptoError) in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return try osslPointer("d2i_X509", code: .malformedCertificate) { d2i_X509(nil, &cursor, buffer.count) }
        }
    }
    deinit { X509_free(ref) }
}
