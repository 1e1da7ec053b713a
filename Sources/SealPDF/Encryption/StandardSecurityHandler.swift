import Foundation

/// The Standard security handler (ISO 32000-2 §7.6.4): RC4 40–128 (R2–R4), AES-128 (V4) and AES-256 (R5, R6).
final class StandardSecurityHandler: Sendable {
    /// The file encryption key.
    let fileKey: [UInt8]
    let revision: Int
    let stringMethod: CryptMethod
    let streamMethod: CryptMethod
    let encryptMetadata: Bool
    /// True when the owner password (not the user password) opened the document.
    let openedWithOwnerPassword: Bool
    /// `/P` permission bits.
    let permissions: Int32
    /// `/V`.
    let version: Int

    private static let padding: [UInt8] = [
        0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
        0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
    ]

    init(dictionary: PDFDictionary, documentID: [UInt8], password: String?) throws(PDFError) {
        guard dictionary["Filter"]?.nameValue == "Standard" else {
            throw PDFError(.unsupportedEncryption, "only the Standard security handler is supported")
        }
        let version = dictionary["V"]?.integerValue ?? 0
        self.version = version
        guard let revision = dictionary["R"]?.integerValue, (2...6).contains(revision) else {
            throw PDFError(.unsupportedEncryption, "security handler revision missing or unsupported")
        }
        guard let owner = dictionary["O"]?.stringValue?.bytes, let user = dictionary["U"]?.stringValue?.bytes,
            let permissionValue = dictionary["P"]?.integerValue
        else { throw PDFError(.malformed, "encryption dictionary lacks /O, /U or /P") }
        self.revision = revision
        self.permissions = Int32(truncatingIfNeeded: permissionValue)
        self.encryptMetadata = dictionary["EncryptMetadata"]?.booleanValue ?? true

        switch version {
        case 1, 2:
            stringMethod = .rc4
            streamMethod = .rc4
        case 4, 5:
            let filters = dictionary["CF"]?.dictionaryValue ?? PDFDictionary()
            func method(_ key: PDFName) throws(PDFError) -> CryptMethod {
                let name = dictionary[key]?.nameValue ?? "Identity"
                if name == "Identity" { return .identity }
                guard let filter = filters[name]?.dictionaryValue else {
                    throw PDFError(.unsupportedEncryption, "crypt filter \(name.string) is not defined")
                }
                switch filter["CFM"]?.nameValue?.string ?? "None" {
                case "V2": return .rc4
                case "AESV2": return .aesV2
                case "AESV3": return .aesV3
                case "None": return .identity
                default: throw PDFError(.unsupportedEncryption, "crypt filter method is not supported")
                }
            }
            stringMethod = try method("StrF")
            streamMethod = try method("StmF")
        default:
            throw PDFError(.unsupportedEncryption, "encryption /V \(version) is not supported")
        }

        // R5/R6 passwords are UTF-8 after SASLprep (approximated by NFKC), at most 127 bytes.
        let passwordBytes = Array((password ?? "").precomposedStringWithCompatibilityMapping.utf8)
        if revision >= 5 {
            guard let ownerKeyBlob = dictionary["OE"]?.stringValue?.bytes,
                let userKeyBlob = dictionary["UE"]?.stringValue?.bytes, owner.count >= 48, user.count >= 48,
                ownerKeyBlob.count >= 32, userKeyBlob.count >= 32
            else { throw PDFError(.malformed, "AES-256 encryption dictionary lacks /OE, /UE or has short /O, /U") }
            let pw = Array(passwordBytes.prefix(127))
            let hash = { (password: [UInt8], salt: [UInt8], userData: [UInt8]) throws(PDFError) -> [UInt8] in
                revision == 5
                    ? try PDFCrypto.digest(.sha256, password, salt, userData)
                    : try Self.hardenedHash(password: password, salt: salt, userData: userData)
            }
            let u48 = Array(user.prefix(48))
            if try Array(hash(pw, Array(owner[32..<40]), u48).prefix(32)) == Array(owner.prefix(32)) {
                let intermediate = try hash(pw, Array(owner[40..<48]), u48)
                guard let key = PDFCrypto.aesCBC(
                    encrypt: false, key: Array(intermediate.prefix(32)), iv: [UInt8](repeating: 0, count: 16),
                    Array(ownerKeyBlob.prefix(32)), padding: false)
                else { throw PDFError(.malformed, "cannot decrypt /OE") }
                fileKey = key
                openedWithOwnerPassword = true
            } else if try Array(hash(pw, Array(user[32..<40]), []).prefix(32)) == Array(user.prefix(32)) {
                let intermediate = try hash(pw, Array(user[40..<48]), [])
                guard let key = PDFCrypto.aesCBC(
                    encrypt: false, key: Array(intermediate.prefix(32)), iv: [UInt8](repeating: 0, count: 16),
                    Array(userKeyBlob.prefix(32)), padding: false)
                else { throw PDFError(.malformed, "cannot decrypt /UE") }
                fileKey = key
                openedWithOwnerPassword = false
            } else {
                throw password == nil
                    ? PDFError(.passwordRequired, "the document needs a password")
                    : PDFError(.wrongPassword, "the password opens neither as user nor as owner")
            }
            return
        }

        let lengthBits = version == 1 ? 40 : (dictionary["Length"]?.integerValue ?? 40)
        guard lengthBits % 8 == 0, (40...128).contains(lengthBits) else {
            throw PDFError(.unsupportedEncryption, "RC4 key length \(lengthBits) bits")
        }
        let keyLength = revision == 2 ? 5 : lengthBits / 8
        let context = LegacyKeyContext(
            revision: revision, keyLength: keyLength, owner: Array(owner.prefix(32)), user: Array(user.prefix(32)),
            permissions: UInt32(bitPattern: Int32(truncatingIfNeeded: permissionValue)), documentID: documentID,
            encryptMetadata: encryptMetadata)
        // R2–R4 passwords are PDFDocEncoding; some writers used UTF-8, so that is tried second.
        var opened: (key: [UInt8], owner: Bool)?
        for candidate in Self.legacyPasswordCandidates(password ?? "") {
            let pw = Self.pad(Array(candidate.prefix(32)))
            if let key = try context.authenticateUser(paddedPassword: pw) {
                opened = (key, false)
            } else if let key = try context.authenticateUser(paddedPassword: context.userPasswordFromOwner(paddedPassword: pw)) {
                opened = (key, true)
            }
            if opened != nil { break }
        }
        guard let opened else {
            throw password == nil
                ? PDFError(.passwordRequired, "the document needs a password")
                : PDFError(.wrongPassword, "the password opens neither as user nor as owner")
        }
        fileKey = opened.key
        openedWithOwnerPassword = opened.owner
    }

    private static func legacyPasswordCandidates(_ password: String) -> [[UInt8]] {
        let utf8 = Array(password.utf8)
        var docEncoded: [UInt8] = []
        for scalar in password.unicodeScalars {
            guard let byte = PDFDocEncoding.byte(for: scalar) else { return [utf8] }
            docEncoded.append(byte)
        }
        return docEncoded == utf8 ? [utf8] : [docEncoded, utf8]
    }

    static func pad(_ password: [UInt8]) -> [UInt8] {
        Array((password + padding).prefix(32))
    }

    /// ISO 32000-2 Algorithm 2.B (R6).
    static func hardenedHash(password: [UInt8], salt: [UInt8], userData: [UInt8]) throws(PDFError) -> [UInt8] {
        var k = try PDFCrypto.digest(.sha256, password, salt, userData)
        var round = 0
        while true {
            let block = password + k + userData
            var k1: [UInt8] = []
            k1.reserveCapacity(block.count * 64)
            for _ in 0..<64 { k1.append(contentsOf: block) }
            guard let e = PDFCrypto.aesCBC(
                encrypt: true, key: Array(k[0..<16]), iv: Array(k[16..<32]), k1, padding: false)
            else { return Array(k.prefix(32)) }
            var sum = 0
            for byte in e[0..<16] { sum += Int(byte) }
            switch sum % 3 {
            case 0: k = try PDFCrypto.digest(.sha256, e)
            case 1: k = try PDFCrypto.digest(.sha384, e)
            default: k = try PDFCrypto.digest(.sha512, e)
            }
            round += 1
            if round >= 64, Int(e[e.count - 1]) <= round - 32 { break }
        }
        return Array(k.prefix(32))
    }

    // MARK: - Per-object keys and transforms

    private func objectKey(_ ref: PDFReference, aes: Bool) throws(PDFError) -> [UInt8] {
        if revision >= 5 { return fileKey }
        var material = fileKey
        material.append(UInt8(ref.number & 0xFF))
        material.append(UInt8(ref.number >> 8 & 0xFF))
        material.append(UInt8(ref.number >> 16 & 0xFF))
        material.append(UInt8(ref.generation & 0xFF))
        material.append(UInt8(ref.generation >> 8 & 0xFF))
        if aes { material.append(contentsOf: [0x73, 0x41, 0x6C, 0x54]) }
        return try Array(PDFCrypto.digest(.md5, material).prefix(min(fileKey.count + 5, 16)))
    }

    func decrypt(_ data: [UInt8], method: CryptMethod, ref: PDFReference) throws(PDFError) -> [UInt8] {
        switch method {
        case .identity: return data
        case .rc4: return try PDFCrypto.rc4(key: objectKey(ref, aes: false), data)
        case .aesV2, .aesV3:
            if data.isEmpty { return [] }
            guard data.count >= 32, data.count % 16 == 0 else {
                // Tolerate a bare IV (empty content) and ragged data by decrypting what fits.
                if data.count == 16 { return [] }
                guard data.count > 16 else { throw PDFError(.decodeFailed, "AES data shorter than one block") }
                let usable = Array(data.prefix(16 + (data.count - 16) / 16 * 16))
                return try PDFCrypto.aesCBC(
                    encrypt: false, key: objectKey(ref, aes: true), iv: Array(usable[0..<16]), Array(usable[16...]),
                    padding: false) ?? []
            }
            let key = try objectKey(ref, aes: true)
            let iv = Array(data[0..<16])
            let body = Array(data[16...])
            if let plain = PDFCrypto.aesCBC(encrypt: false, key: key, iv: iv, body, padding: true) { return plain }
            // Bad padding: keep the raw decryption rather than fail the whole object.
            return PDFCrypto.aesCBC(encrypt: false, key: key, iv: iv, body, padding: false) ?? []
        }
    }

    func encrypt(_ data: [UInt8], method: CryptMethod, ref: PDFReference) throws(PDFError) -> [UInt8] {
        switch method {
        case .identity: return data
        case .rc4: return try PDFCrypto.rc4(key: objectKey(ref, aes: false), data)
        case .aesV2, .aesV3:
            let iv = PDFCrypto.randomBytes(16)
            guard let body = try PDFCrypto.aesCBC(encrypt: true, key: objectKey(ref, aes: true), iv: iv, data, padding: true)
            else { throw PDFError(.unsupportedEncryption, "the document's AES key cannot encrypt") }
            return iv + body
        }
    }

    /// True when a stream is stored in the clear despite encryption (xref streams, unencrypted metadata,
    /// an Identity crypt filter).
    func isExempt(_ dictionary: PDFDictionary) -> Bool {
        if dictionary.type == "XRef" { return true }
        if !encryptMetadata, dictionary.type == "Metadata" { return true }
        let filters: [PDFObject] = dictionary[.filter]?.arrayValue ?? (dictionary[.filter].map { [$0] } ?? [])
        if filters.first?.nameValue == "Crypt" {
            let parms = dictionary[.decodeParms]?.arrayValue?.first ?? dictionary[.decodeParms]
            let name = parms?.dictionaryValue?["Name"]?.nameValue ?? "Identity"
            return name == "Identity"
        }
        return false
    }

    /// Decrypts every string and the stream data of an object read from the file.
    func decrypt(_ object: PDFObject, ref: PDFReference) throws(PDFError) -> PDFObject {
        switch object {
        case .string(let string):
            return .string(PDFString(bytes: try decrypt(string.bytes, method: stringMethod, ref: ref), isHex: string.isHex))
        case .array(let items):
            var result: [PDFObject] = []
            result.reserveCapacity(items.count)
            for item in items { result.append(try decrypt(item, ref: ref)) }
            return .array(result)
        case .dictionary(let dictionary):
            return .dictionary(try decrypt(dictionary, ref: ref))
        case .stream(let stream):
            // Cross-reference streams are never encrypted, dictionary strings (/ID) included (§7.5.8.2).
            if stream.dictionary.type == "XRef" { return object }
            let dictionary = try decrypt(stream.dictionary, ref: ref)
            let data = isExempt(stream.dictionary)
                ? stream.rawData : try decrypt(stream.rawData, method: streamMethod, ref: ref)
            return .stream(PDFStream(dictionary: dictionary, rawData: data))
        default:
            return object
        }
    }

    private func decrypt(_ dictionary: PDFDictionary, ref: PDFReference) throws(PDFError) -> PDFDictionary {
        // A signature dictionary's /Contents is never encrypted (ISO 32000-1 §7.6.1).
        let isSignature = dictionary.type == "Sig" || dictionary.type == "DocTimeStamp"
            || (dictionary["ByteRange"] != nil && dictionary["Contents"]?.stringValue != nil)
        var entries: [PDFDictionary.Entry] = []
        entries.reserveCapacity(dictionary.count)
        for entry in dictionary.entries {
            if isSignature && entry.key == "Contents" {
                entries.append(entry)
            } else {
                entries.append(PDFDictionary.Entry(key: entry.key, value: try decrypt(entry.value, ref: ref)))
            }
        }
        return PDFDictionary(parsedEntries: entries)
    }

    /// A public summary (no key material).
    var info: PDFEncryptionInfo {
        PDFEncryptionInfo(
            version: version, revision: revision, streamCipher: .init(streamMethod), stringCipher: .init(stringMethod),
            keyBits: fileKey.count * 8, permissions: permissions, openedWithOwnerPassword: openedWithOwnerPassword)
    }
}
