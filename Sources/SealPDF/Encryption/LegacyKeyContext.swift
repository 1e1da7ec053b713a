/// Key derivation and password checks for revisions 2–4 (ISO 32000-1 Algorithms 2, 6 and 7).
struct LegacyKeyContext {
    let revision: Int
    let keyLength: Int
    let owner: [UInt8]
    let user: [UInt8]
    let permissions: UInt32
    let documentID: [UInt8]
    let encryptMetadata: Bool

    /// Algorithm 2: the file key for a padded user password.
    func fileKey(paddedPassword: [UInt8]) throws(PDFError) -> [UInt8] {
        var material = paddedPassword + owner + [
            UInt8(permissions & 0xFF), UInt8(permissions >> 8 & 0xFF), UInt8(permissions >> 16 & 0xFF),
            UInt8(permissions >> 24 & 0xFF),
        ] + documentID
        if revision >= 4 && !encryptMetadata { material += [0xFF, 0xFF, 0xFF, 0xFF] }
        var hash = try PDFCrypto.digest(.md5, material)
        if revision >= 3 {
            for _ in 0..<50 { hash = try PDFCrypto.digest(.md5, Array(hash.prefix(keyLength))) }
        }
        return Array(hash.prefix(keyLength))
    }

    /// Algorithms 4/5 + 6: the file key if the padded password is the user password.
    func authenticateUser(paddedPassword: [UInt8]) throws(PDFError) -> [UInt8]? {
        let key = try fileKey(paddedPassword: paddedPassword)
        if revision == 2 {
            return PDFCrypto.rc4(key: key, StandardSecurityHandler.pad([])) == user ? key : nil
        }
        var value = try PDFCrypto.digest(.md5, StandardSecurityHandler.pad([]), documentID)
        value = PDFCrypto.rc4(key: key, value)
        for round in 1...19 { value = PDFCrypto.rc4(key: key.map { $0 ^ UInt8(round) }, value) }
        return Array(value.prefix(16)) == Array(user.prefix(16)) ? key : nil
    }

    /// Algorithm 7: recovers the padded user password from the padded owner password.
    func userPasswordFromOwner(paddedPassword: [UInt8]) throws(PDFError) -> [UInt8] {
        var hash = try PDFCrypto.digest(.md5, paddedPassword)
        if revision >= 3 {
            for _ in 0..<50 { hash = try PDFCrypto.digest(.md5, hash) }
        }
        let key = Array(hash.prefix(keyLength))
        if revision == 2 { return PDFCrypto.rc4(key: key, owner) }
        var value = owner
        for round in stride(from: 19, through: 0, by: -1) { value = PDFCrypto.rc4(key: key.map { $0 ^ UInt8(round) }, value) }
        return value
    }
}
