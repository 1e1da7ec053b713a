internal import CSealSSL

/// The one funnel for OpenSSL calls: clears the error queue, runs the call, and on failure throws a
/// ``CryptoError`` carrying the drained queue.
@inline(never)
func ossl(
    _ what: StaticString, code: CryptoError.Code = .openSSL, file: String = #fileID, line: UInt = #line,
    _ call: () -> CInt
) throws(CryptoError) {
    ERR_clear_error()
    guard call() == 1 else {
        throw CryptoError(code, "\(what) failed", detail: drainOpenSSLErrors(), file: file, line: line)
    }
}

/// Like ``ossl(_:code:file:line:_:)`` for calls that return a pointer (nil means failure).
@inline(never)
func osslPointer<T>(
    _ what: StaticString, code: CryptoError.Code = .openSSL, file: String = #fileID, line: UInt = #line,
    _ call: () -> T?
) throws(CryptoError) -> T {
    ERR_clear_error()
    guard let value = call() else {
        throw CryptoError(code, "\(what) failed", detail: drainOpenSSLErrors(), file: file, line: line)
    }
    return value
}

/// Empties OpenSSL's thread-local error queue into one line.
func drainOpenSSLErrors() -> String {
    var parts: [String] = []
    while true {
        let error = ERR_get_error()
        if error == 0 { break }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(error, &buffer, buffer.count)
        parts.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    return parts.joined(separator: "; ")
}

/// Reads DER produced by an `i2d_*` function into a Swift array.
func i2dBytes(_ what: StaticString, _ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> CInt)
    throws(CryptoError) -> [UInt8]
{
    let length = encode(nil)
    guard length > 0 else { throw CryptoError(.openSSL, "\(what) failed", detail: drainOpenSSLErrors()) }
    var bytes = [UInt8](repeating: 0, count: Int(length))
    let written = bytes.withUnsafeMutableBufferPointer { buffer -> CInt in
        var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
        return encode(&cursor)
    }
    guard written == length else { throw CryptoError(.openSSL, "\(what) failed", detail: drainOpenSSLErrors()) }
    return bytes
}

/// `withUnsafeBytes` that keeps the typed error.
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(CryptoError) -> R) throws(CryptoError) -> R {
    let result: Result<R, CryptoError> = bytes.withUnsafeBytes { buffer in
        do throws(CryptoError) { return .success(try body(buffer)) } catch { return .failure(error) }
    }
    return try result.get()
}
