/// How strings or streams are encrypted (a crypt filter's `/CFM`).
enum CryptMethod: Sendable, Hashable {
    case identity
    case rc4
    case aesV2
    case aesV3
}
