import SealCrypto
import Testing

/// The primitives PDF's standard security handler takes from SealCrypto, against published test vectors.
@Suite struct PDFSecurityPrimitiveTests {
    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    @Test func aesCBCMatchesSP800_38A() throws {
        // NIST SP 800-38A F.2.1 CBC-AES128.Encrypt, first two blocks.
        let key = Self.hex("2b7e151628aed2a6abf7158809cf4f3c")
        let iv = Self.hex("000102030405060708090a0b0c0d0e0f")
        let plain = Self.hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
        let cipher = Self.hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2")
        #expect(try AESCBC.encrypt(plain, key: key, iv: iv, padding: .none) == cipher)
        #expect(try AESCBC.decrypt(cipher, key: key, iv: iv, padding: .none) == plain)
    }

    @Test(arguments: [16, 24, 32])
    func aesCBCWithPaddingRoundTrips(keyLength: Int) throws {
        let key = (0..<keyLength).map { UInt8($0 * 7 & 0xFF) }
        let iv = [UInt8](repeating: 0xA5, count: 16)
        for length in [0, 1, 15, 16, 17, 1000] {
            let plain = (0..<length).map { UInt8($0 & 0xFF) }
            let sealed = try AESCBC.encrypt(plain, key: key, iv: iv, padding: .pkcs7)
            #expect(sealed.count == (length / 16 + 1) * 16)
            #expect(try AESCBC.decrypt(sealed, key: key, iv: iv, padding: .pkcs7) == plain)
        }
    }

    @Test func aesCBCRefusesBadArgumentsAndBadPadding() throws {
        let iv = [UInt8](repeating: 0, count: 16)
        #expect(throws: CryptoError(.invalidArgument, "")) { try AESCBC.encrypt([1], key: [1, 2, 3], iv: iv, padding: .pkcs7) }
        #expect(throws: CryptoError(.invalidArgument, "")) {
            try AESCBC.encrypt([1], key: [UInt8](repeating: 1, count: 16), iv: [1], padding: .pkcs7)
        }
        #expect(throws: CryptoError(.invalidArgument, "")) {
            try AESCBC.decrypt([UInt8](repeating: 0, count: 17), key: [UInt8](repeating: 1, count: 16), iv: iv, padding: .none)
        }
        // Decrypting with the wrong key: the padding check fails through OpenSSL's return code.
        let sealed = try AESCBC.encrypt(Array("seal".utf8), key: [UInt8](repeating: 1, count: 16), iv: iv, padding: .pkcs7)
        var failures = 0
        for wrong in 2..<12 as Range<UInt8> {
            do {
                let opened = try AESCBC.decrypt(sealed, key: [UInt8](repeating: wrong, count: 16), iv: iv, padding: .pkcs7)
                #expect(opened != Array("seal".utf8))
            } catch {
                #expect(error.code == .openSSL)
                failures += 1
            }
        }
        #expect(failures > 0)
    }

    @Test func md5AndSHA2OverPartsMatchKnownAnswers() throws {
        #expect(try Digest.md5(Array("abc".utf8)) == Self.hex("900150983cd24fb0d6963f7d28e17f72"))
        #expect(try Digest.md5(Array("a".utf8), [], Array("bc".utf8)) == Self.hex("900150983cd24fb0d6963f7d28e17f72"))
        #expect(try Digest.md5() == Self.hex("d41d8cd98f00b204e9800998ecf8427e"))
        #expect(try Digest.hash(.sha256, parts: [Array("ab".utf8), Array("c".utf8)])
            == Self.hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        #expect(try Digest.hash(.sha512, parts: [Array("abc".utf8)]) == Digest.hash(.sha512, Array("abc".utf8)))
        #expect(try Digest.hash(.sha384, parts: []).count == 48)
    }

    @Test func rc4MatchesTheClassicVectors() {
        #expect(RC4.apply(key: Array("Key".utf8), to: Array("Plaintext".utf8)) == Self.hex("bbf316e8d940af0ad3"))
        #expect(RC4.apply(key: Array("Wiki".utf8), to: Array("pedia".utf8)) == Self.hex("1021bf0420"))
        let data = Array("round trip".utf8)
        #expect(RC4.apply(key: [1, 2, 3], to: RC4.apply(key: [1, 2, 3], to: data)) == data)
    }

    @Test func gb18030DecodesGBKAndRefusesBrokenBytes() {
        #expect(GB18030.decode([0xD6, 0xD0, 0xCE, 0xC4][...]) == "中文")  // GBK for 中文
        #expect(GB18030.decode([0x41, 0x42][...]) == "AB")
        #expect(GB18030.decode([0x81][...]) == nil)  // a lead byte with nothing after it
        #expect(GB18030.decode([][...]) == "")
    }
}
