#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GB18030 (a superset of GBK/GB2312) decoding through the C library's iconv, for certificate names some
/// Chinese CAs wrote in GBK inside PrintableString/T61String/UTF8String, and for OFD entry names and XML that
/// Chinese Windows tools wrote in GBK. The one iconv user in SealPress.
package enum GB18030 {
    /// The text, or nil when the bytes are not valid GB18030.
    package static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        guard !bytes.isEmpty else { return "" }
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = Array(bytes)
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 4)
        let converted: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                // iconv returns (size_t)-1 on failure, which Swift imports as Int -1.
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else {
                    return nil
                }
                return outBuffer.count - outLeft
            }
        }
        guard let converted else { return nil }
        return String(validating: output.prefix(converted), as: UTF8.self)
    }
}
