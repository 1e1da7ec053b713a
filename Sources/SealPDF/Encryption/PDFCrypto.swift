internal import CSealSSL

/// The primitives the standard security handler needs: MD5, SHA-2, RC4 and AES-CBC.
///
/// RC4 is implemented here (it sits in OpenSSL 3's legacy provider, which may not be installed);
/// the rest goes through OpenSSL's EVP interface.
enum PDFCrypto {
    enum Digest { case md5, sha256, sha384, sha512 }

    static func digest(_ kind: Digest, _ parts: [UInt8]...) -> [UInt8] {
        let md: OpaquePointer? = switch kind {
        case .md5: EVP_md5()
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestInit_ex(context, md, nil)
        for part in parts { part.withUnsafeBufferPointer { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) } }
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        return Array(output[0..<Int(length)])
    }

    static func rc4(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var state = [UInt8](0...255)
        var j = 0
        if !key.isEmpty {
            for i in 0..<256 {
                j = (j + Int(state[i]) + Int(key[i % key.count])) & 0xFF
                state.swapAt(i, j)
            }
        }
        var output = data
        var i = 0
        j = 0
        for index in 0..<output.count {
            i = (i + 1) & 0xFF
            j = (j + Int(state[i])) & 0xFF
            state.swapAt(i, j)
            output[index] ^= state[(Int(state[i]) + Int(state[j])) & 0xFF]
        }
        return output
    }

    /// AES-CBC with a 16-, 24- or 32-byte key. `padding` selects PKCS#7.
    static func aesCBC(encrypt: Bool, key: [UInt8], iv: [UInt8], _ data: [UInt8], padding: Bool) -> [UInt8]? {
        let cipher: OpaquePointer? = switch key.count {
        case 16: EVP_aes_128_cbc()
        case 24: EVP_aes_192_cbc()
        case 32: EVP_aes_256_cbc()
        default: nil
        }
        guard let cipher, iv.count == 16, let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        guard EVP_CipherInit_ex(context, cipher, nil, key, iv, encrypt ? 1 : 0) == 1 else { return nil }
        EVP_CIPHER_CTX_set_padding(context, padding ? 1 : 0)
        var output = [UInt8](repeating: 0, count: data.count + 32)
        var written: Int32 = 0
        var total = 0
        let ok = output.withUnsafeMutableBufferPointer { out -> Bool in
            data.withUnsafeBufferPointer { input -> Bool in
                guard EVP_CipherUpdate(context, out.baseAddress, &written, input.baseAddress, Int32(input.count)) == 1
                else { return false }
                total = Int(written)
                guard EVP_CipherFinal_ex(context, out.baseAddress! + total, &written) == 1 else { return false }
                total += Int(written)
                return true
            }
        }
        guard ok else { return nil }
        return Array(output[0..<total])
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        _ = RAND_bytes(&output, Int32(count))
        return output
    }
}
