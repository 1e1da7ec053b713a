import SealCrypto
import Testing

@Suite struct DigestTests {
    @Test func sm3KnownAnswersFromGBT32905() {
        #expect(Digest.hash(.sm3, Array("abc".utf8)).hex == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        let sixtyFour = Array(String(repeating: "abcd", count: 16).utf8)
        #expect(Digest.hash(.sm3, sixtyFour).hex == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")
    }

    @Test func sha2KnownAnswers() {
        #expect(Digest.hash(.sha256, Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hash(.sha384, Array("abc".utf8)).hex.hasPrefix("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"))
        #expect(Digest.hash(.sha512, Array("abc".utf8)).hex.hasPrefix("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea2"))
        #expect(Digest.hash(.sha1, Array("abc".utf8)).hex == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test func hexMatchesPrintfForEveryByte() {
        let all = (0...255).map(UInt8.init)
        #expect(Hex.string(all) == all.hex)  // the tests' own String(format: "%02x") rendering
        #expect(Hex.string(all, uppercase: true) == all.hex.uppercased())
        #expect(Hex.ascii([0x0F, 0xA0], uppercase: true) == Array("0FA0".utf8))
        #expect(Hex.string([UInt8]()).isEmpty)
        #expect(Hex.string(all[250...]) == "fafbfcfdfeff")
    }

    @Test func hexTextReadsBackInEitherCaseAndRefusesTheRest() {
        let all = (0...255).map(UInt8.init)
        #expect(Hex.bytes(all.hex) == all)
        #expect(Hex.bytes(all.hex.uppercased()) == all)
        #expect(Hex.bytes("0fA0") == [0x0F, 0xA0])
        #expect(Hex.bytes("") == [])
        #expect(Hex.bytes("abc") == nil)  // odd number of digits
        #expect(Hex.bytes("0g") == nil)
        #expect(Hex.bytes("0 ") == nil)
        #expect(Hex.bytes("印章") == nil)
    }

    @Test func streamingEqualsOneShot() {
        let data = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for algorithm in DigestAlgorithm.allCases {
            var hasher = Hasher(algorithm)
            hasher.update(data[0..<7])
            hasher.update(Array(data[7..<50_000]))
            data[50_000...].withUnsafeBytes { hasher.update($0) }
            #expect(hasher.finalize() == Digest.hash(algorithm, data), "\(algorithm)")
        }
    }

    @Test func oidsRoundTrip() {
        for algorithm in DigestAlgorithm.allCases {
            #expect(DigestAlgorithm(oid: algorithm.oid) == algorithm)
        }
        #expect("\(DigestAlgorithm.sm3.oid)" == "1.2.156.10197.1.401")
    }
}

@Suite struct SelfTestTests {
    @Test func startUpSelfTestPasses() throws {
        try CryptoSelfTest.run()
    }
}
