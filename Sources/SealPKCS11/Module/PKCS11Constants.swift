internal import CSealPKCS11

/// The PKCS#11 v2.40 constants SealPress uses (return values, attributes, object classes, mechanisms).
enum CK {
    // MARK: - Return values
    static let ok: CK_RV = 0x0
    static let hostMemory: CK_RV = 0x2
    static let generalError: CK_RV = 0x5
    static let functionFailed: CK_RV = 0x6
    static let deviceError: CK_RV = 0x30
    static let deviceMemory: CK_RV = 0x31
    static let deviceRemoved: CK_RV = 0x32
    static let keyHandleInvalid: CK_RV = 0x60
    static let mechanismInvalid: CK_RV = 0x70
    static let mechanismParamInvalid: CK_RV = 0x71
    static let objectHandleInvalid: CK_RV = 0x82
    static let operationActive: CK_RV = 0x90
    static let pinIncorrect: CK_RV = 0xA0
    static let pinExpired: CK_RV = 0xA3
    static let pinLocked: CK_RV = 0xA4
    static let sessionClosed: CK_RV = 0xB0
    static let sessionCount: CK_RV = 0xB1
    static let sessionHandleInvalid: CK_RV = 0xB3
    static let tokenNotPresent: CK_RV = 0xE0
    static let tokenNotRecognized: CK_RV = 0xE1
    static let userAlreadyLoggedIn: CK_RV = 0x100
    static let userNotLoggedIn: CK_RV = 0x101
    static let bufferTooSmall: CK_RV = 0x150
    static let cryptokiNotInitialized: CK_RV = 0x190
    static let cryptokiAlreadyInitialized: CK_RV = 0x191

    // MARK: - Flags and users
    static let osLockingOK: CK_FLAGS = 0x2
    static let serialSession: CK_FLAGS = 0x4
    static let user: CK_USER_TYPE = 1

    // MARK: - Attributes, classes, key types
    static let attributeClass: CK_ATTRIBUTE_TYPE = 0x0
    static let attributeLabel: CK_ATTRIBUTE_TYPE = 0x3
    static let attributeValue: CK_ATTRIBUTE_TYPE = 0x11
    static let attributeKeyType: CK_ATTRIBUTE_TYPE = 0x100
    static let attributeID: CK_ATTRIBUTE_TYPE = 0x102
    static let classCertificate: CK_ULONG = 1
    static let classPrivateKey: CK_ULONG = 3
    static let keyTypeRSA: CK_ULONG = 0x0
    static let keyTypeEC: CK_ULONG = 0x3

    // MARK: - Mechanisms
    static let rsaPKCS: CK_MECHANISM_TYPE = 0x1
    static let rsaPKCSPSS: CK_MECHANISM_TYPE = 0xD
    static let sha256RSAPKCS: CK_MECHANISM_TYPE = 0x40
    static let sha384RSAPKCS: CK_MECHANISM_TYPE = 0x41
    static let sha512RSAPKCS: CK_MECHANISM_TYPE = 0x42
    static let sha256RSAPKCSPSS: CK_MECHANISM_TYPE = 0x43
    static let sha256: CK_MECHANISM_TYPE = 0x250
    static let sha384: CK_MECHANISM_TYPE = 0x260
    static let sha512: CK_MECHANISM_TYPE = 0x270
    static let ecdsa: CK_MECHANISM_TYPE = 0x1041
    static let mgf1SHA256: CK_ULONG = 0x2

    /// Return values after which the session (or the whole token) is gone: the pool drops its sessions and a job
    /// is retried. Everything the device or module says about itself rather than about the request.
    static func meansTokenUnavailable(_ rv: CK_RV) -> Bool {
        switch rv {
        case hostMemory, generalError, functionFailed, deviceError, deviceMemory, deviceRemoved, keyHandleInvalid,
            objectHandleInvalid, sessionClosed, sessionCount, sessionHandleInvalid, tokenNotPresent,
            tokenNotRecognized, userNotLoggedIn, cryptokiNotInitialized:
            true
        default:
            false
        }
    }

    /// A readable name for the return values people meet (the number otherwise).
    static func name(_ rv: CK_RV) -> String {
        switch rv {
        case generalError: "CKR_GENERAL_ERROR"
        case functionFailed: "CKR_FUNCTION_FAILED"
        case deviceError: "CKR_DEVICE_ERROR"
        case deviceMemory: "CKR_DEVICE_MEMORY"
        case deviceRemoved: "CKR_DEVICE_REMOVED"
        case keyHandleInvalid: "CKR_KEY_HANDLE_INVALID"
        case mechanismInvalid: "CKR_MECHANISM_INVALID"
        case mechanismParamInvalid: "CKR_MECHANISM_PARAM_INVALID"
        case objectHandleInvalid: "CKR_OBJECT_HANDLE_INVALID"
        case pinIncorrect: "CKR_PIN_INCORRECT"
        case pinExpired: "CKR_PIN_EXPIRED"
        case pinLocked: "CKR_PIN_LOCKED"
        case sessionClosed: "CKR_SESSION_CLOSED"
        case sessionCount: "CKR_SESSION_COUNT"
        case sessionHandleInvalid: "CKR_SESSION_HANDLE_INVALID"
        case tokenNotPresent: "CKR_TOKEN_NOT_PRESENT"
        case tokenNotRecognized: "CKR_TOKEN_NOT_RECOGNIZED"
        case userNotLoggedIn: "CKR_USER_NOT_LOGGED_IN"
        case cryptokiNotInitialized: "CKR_CRYPTOKI_NOT_INITIALIZED"
        default: "CKR 0x" + String(rv, radix: 16, uppercase: true)
        }
    }
}
