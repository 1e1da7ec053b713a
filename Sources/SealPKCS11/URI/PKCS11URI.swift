public import SealCrypto

/// A key in a PKCS#11 token, named by an RFC 7512 URI:
///
/// ```
/// pkcs11:token=bureau;object=seal-2026;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/secrets/pin
/// ```
///
/// Path attributes (`;`-separated) select the token (`token=` label, `serial=`, `manufacturer=`, `model=`) and the
/// key (`object=` label, `id=` percent-encoded CKA_ID bytes, `type=private`). Query attributes (`&`-separated):
/// `module-path=` (required: the module loaded with dlopen), `pin-source=file:PATH` or `pin-source=env:NAME`
/// (`pin-value=` is refused: a PIN never appears in a reference, a command line or the registry),
/// `cert-path=` (the signer's certificate as a file, when the token holds none), `signature=` (a
/// ``SignatureAlgorithm`` raw value such as `rsaPSSSHA256`, instead of the key's default scheme) and
/// `sm2-mechanism=` (the vendor mechanism number of a token's SM2-with-SM3 signing, e.g. `0x80000000`-based).
/// Values are percent-decoded. The text is kept as given, so a reference round-trips byte for byte.
public struct PKCS11URI: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public private(set) var token: String?
    public private(set) var serial: String?
    public private(set) var manufacturer: String?
    public private(set) var model: String?
    public private(set) var object: String?
    public private(set) var id: [UInt8]?
    public private(set) var modulePath: String = ""
    public private(set) var pinSource: PINSource?
    public private(set) var certificatePath: String?
    public private(set) var signatureAlgorithm: SignatureAlgorithm?
    public private(set) var sm2Mechanism: UInt?

    private static let pathAttributes: Set<String> = [
        "token", "serial", "manufacturer", "model", "object", "id", "type", "library-description",
        "library-manufacturer", "library-version", "slot-description", "slot-id", "slot-manufacturer",
    ]

    /// Parses `text`.
    ///
    /// - Throws: ``PKCS11Error/Code/invalidURI`` naming the attribute at fault (never its value for `pin-value`).
    public init(_ text: String) throws(PKCS11Error) {
        self.text = text
        guard text.hasPrefix("pkcs11:") else { throw Self.invalid("a PKCS#11 key reference starts with pkcs11:") }
        let body = text.dropFirst("pkcs11:".count)
        let halves = body.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var seen: Set<String> = []
        for pair in halves[0].split(separator: ";") {
            let (name, raw) = try Self.split(pair)
            guard Self.pathAttributes.contains(name) else {
                throw Self.invalid("unknown path attribute '\(name)' (use token=, serial=, object=, id=, type=)")
            }
            guard seen.insert(name).inserted else { throw Self.invalid("the attribute '\(name)' is given twice") }
            let bytes = try Self.percentDecoded(raw, attribute: name)
            switch name {
            case "id": id = bytes
            case "type":
                guard try Self.string(bytes, name) == "private" else {
                    throw Self.invalid("type= must be private: SealPress signs with the token's private key")
                }
            case "token": token = try Self.string(bytes, name)
            case "serial": serial = try Self.string(bytes, name)
            case "manufacturer": manufacturer = try Self.string(bytes, name)
            case "model": model = try Self.string(bytes, name)
            case "object": object = try Self.string(bytes, name)
            default: break  // library-* and slot-*: accepted, not used to select (slots move; labels do not)
            }
        }
        if halves.count == 2 {
            for pair in halves[1].split(separator: "&") {
                let (name, raw) = try Self.split(pair)
                if name == "pin-value" {
                    throw Self.invalid(
                        "a PIN may not be written into a key reference (pin-value): keep it in a file readable only by "
                            + "the worker and use pin-source=file:PATH (or pin-source=env:NAME)")
                }
                guard seen.insert(name).inserted else { throw Self.invalid("the attribute '\(name)' is given twice") }
                let value = try Self.string(try Self.percentDecoded(raw, attribute: name), name)
                switch name {
                case "module-path": modulePath = value
                case "pin-source": pinSource = try PINSource(value)
                case "cert-path": certificatePath = value
                case "signature":
                    guard let algorithm = SignatureAlgorithm(rawValue: value), algorithm.isAllowedForSigning else {
                        throw Self.invalid("signature=\(value) is not a signing scheme (e.g. rsaPKCS1SHA256, rsaPSSSHA256, ecdsaWithSHA384)")
                    }
                    signatureAlgorithm = algorithm
                case "sm2-mechanism":
                    let digits = value.lowercased().hasPrefix("0x") ? String(value.dropFirst(2)) : value
                    guard let number = UInt(digits, radix: value.lowercased().hasPrefix("0x") ? 16 : 10) else {
                        throw Self.invalid("sm2-mechanism= must be a number such as 0x80000000")
                    }
                    sm2Mechanism = number
                default:
                    throw Self.invalid(
                        "unknown query attribute '\(name)' (use module-path=, pin-source=, cert-path=, signature=, sm2-mechanism=)")
                }
            }
        }
        guard !modulePath.isEmpty else {
            throw Self.invalid("module-path= is required: the PKCS#11 module to load, e.g. /usr/lib/softhsm/libsofthsm2.so")
        }
        guard object != nil || id != nil else { throw Self.invalid("name the key with object= (its label) and/or id=") }
        guard token != nil || serial != nil else { throw Self.invalid("name the token with token= (its label) or serial=") }
    }

    public var description: String { text }

    public static func == (lhs: PKCS11URI, rhs: PKCS11URI) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(text) }

    // MARK: - Parsing helpers

    private static func invalid(_ reason: String) -> PKCS11Error { PKCS11Error(.invalidURI, reason) }

    private static func split(_ pair: Substring) throws(PKCS11Error) -> (String, Substring) {
        guard let equals = pair.firstIndex(of: "=") else { throw invalid("'\(pair.prefix(40))' is not name=value") }
        return (String(pair[..<equals]), pair[pair.index(after: equals)...])
    }

    private static func string(_ bytes: [UInt8], _ name: String) throws(PKCS11Error) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw invalid("\(name)= is not UTF-8 text") }
        return text
    }

    /// `%XX` sequences decoded to bytes; other characters as their UTF-8.
    static func percentDecoded(_ raw: Substring, attribute: String) throws(PKCS11Error) -> [UInt8] {
        var out: [UInt8] = []
        let utf8 = Array(raw.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%") {
                guard index + 2 < utf8.count,
                    let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2])
                else { throw invalid("\(attribute)= has a broken %-escape") }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(utf8[index])
                index += 1
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
