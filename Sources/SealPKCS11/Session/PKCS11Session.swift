internal import CSealPKCS11

/// One open session on a token: the owner of its CK_SESSION_HANDLE, closed when the session is dropped.
///
/// A session is used by one thread at a time (the pool hands it out and takes it back); the module may be
/// called from many threads at once on different sessions (it was initialised with CKF_OS_LOCKING_OK).
final class PKCS11Session: @unchecked Sendable {  // used by one thread at a time, under the pool's discipline
    let module: PKCS11Module
    let slot: CK_SLOT_ID
    private let handle: CK_SESSION_HANDLE
    /// The private key's handle on this session, found on first use.
    var keyHandle: CK_OBJECT_HANDLE?
    /// False once the module said the handle is dead (closing it then could close somebody else's session).
    var isLive = true

    /// Opens a read-only session on `slot`.
    init(module: PKCS11Module, slot: CK_SLOT_ID) throws(PKCS11Error) {
        self.module = module
        self.slot = slot
        var handle: CK_SESSION_HANDLE = 0
        let rv = module.list.C_OpenSession!(slot, CK.serialSession, nil, nil, &handle)
        try Self.check(rv, "opening a session on the token")
        self.handle = handle
    }

    deinit {
        if isLive { _ = module.list.C_CloseSession!(handle) }
    }

    /// Logs the token's user in (the login holds for every session of this process on the token; a token
    /// already logged in is fine).
    func login(pin: [UInt8]) throws(PKCS11Error) {
        var copy = pin
        let rv = copy.withUnsafeMutableBufferPointer { buffer in
            module.list.C_Login!(handle, CK.user, buffer.baseAddress, CK_ULONG(buffer.count))
        }
        for index in copy.indices { copy[index] = 0 }
        if rv == CK.ok || rv == CK.userAlreadyLoggedIn { return }
        if rv == CK.pinIncorrect || rv == CK.pinLocked || rv == CK.pinExpired {
            throw PKCS11Error(
                .pinRefused,
                "the token refused the PIN (\(CK.name(rv))); correct the PIN file or variable named by pin-source — "
                    + "SealPress does not try again, repeated wrong PINs lock the token", returnValue: rv)
        }
        try Self.check(rv, "logging in to the token")
    }

    /// Handles of the objects matching `template` (at most `limit`).
    func find(_ template: [PKCS11Attribute], limit: Int = 2) throws(PKCS11Error) -> [CK_OBJECT_HANDLE] {
        let rv = PKCS11Attribute.withTemplate(template) { attributes, count in
            module.list.C_FindObjectsInit!(handle, attributes, count)
        }
        try Self.check(rv, "searching the token")
        var found = [CK_OBJECT_HANDLE](repeating: 0, count: limit)
        var count: CK_ULONG = 0
        let findRV = module.list.C_FindObjects!(handle, &found, CK_ULONG(limit), &count)
        _ = module.list.C_FindObjectsFinal!(handle)
        try Self.check(findRV, "searching the token")
        return Array(found.prefix(Int(count)))
    }

    /// The value of one attribute of `object`, or nil when the object does not have it.
    func attribute(_ type: CK_ATTRIBUTE_TYPE, of object: CK_OBJECT_HANDLE) throws(PKCS11Error) -> [UInt8]? {
        var probe = CK_ATTRIBUTE(type: type, pValue: nil, ulValueLen: 0)
        let rv = module.list.C_GetAttributeValue!(handle, object, &probe, 1)
        if rv != CK.ok && !CK.meansTokenUnavailable(rv) { return nil }  // sensitive or absent
        try Self.check(rv, "reading an attribute")
        if probe.ulValueLen == CK_ULONG.max { return nil }
        var value = [UInt8](repeating: 0, count: Int(probe.ulValueLen))
        let readRV = value.withUnsafeMutableBytes { buffer in
            var attribute = CK_ATTRIBUTE(type: type, pValue: buffer.baseAddress, ulValueLen: CK_ULONG(buffer.count))
            return module.list.C_GetAttributeValue!(handle, object, &attribute, 1)
        }
        try Self.check(readRV, "reading an attribute")
        return value
    }

    /// One C_SignInit + C_Sign over `data`.
    func sign(
        _ data: [UInt8], mechanism type: CK_MECHANISM_TYPE, pss: CK_RSA_PKCS_PSS_PARAMS?, key: CK_OBJECT_HANDLE
    ) throws(PKCS11Error) -> [UInt8] {
        var parameters = pss ?? CK_RSA_PKCS_PSS_PARAMS(hashAlg: 0, mgf: 0, sLen: 0)
        let initRV = withUnsafeMutablePointer(to: &parameters) { pointer in
            var mechanism = CK_MECHANISM(
                mechanism: type, pParameter: pss == nil ? nil : UnsafeMutableRawPointer(pointer),
                ulParameterLen: pss == nil ? 0 : CK_ULONG(MemoryLayout<CK_RSA_PKCS_PSS_PARAMS>.size))
            return module.list.C_SignInit!(handle, &mechanism, key)
        }
        try Self.check(initRV, "starting a signature")
        var input = data
        var signature = [UInt8](repeating: 0, count: 1024)  // RSA-8192; C_Sign says so when it needs more
        var length = CK_ULONG(signature.count)
        var rv = input.withUnsafeMutableBufferPointer { data in
            signature.withUnsafeMutableBufferPointer { out in
                module.list.C_Sign!(handle, data.baseAddress, CK_ULONG(data.count), out.baseAddress, &length)
            }
        }
        if rv == CK.bufferTooSmall {
            signature = [UInt8](repeating: 0, count: Int(length))
            rv = input.withUnsafeMutableBufferPointer { data in
                signature.withUnsafeMutableBufferPointer { out in
                    module.list.C_Sign!(handle, data.baseAddress, CK_ULONG(data.count), out.baseAddress, &length)
                }
            }
        }
        try Self.check(rv, "signing")
        return Array(signature.prefix(Int(length)))
    }

    /// Throws for anything but CKR_OK: `tokenUnavailable` for what says the session/token/module is gone,
    /// `signingFailed` otherwise.
    static func check(_ rv: CK_RV, _ what: String) throws(PKCS11Error) {
        guard rv != CK.ok else { return }
        if rv == CK.mechanismInvalid || rv == CK.mechanismParamInvalid {
            throw PKCS11Error(
                .unsupportedAlgorithm, "the token has no such signing mechanism (\(CK.name(rv)))", returnValue: rv)
        }
        if CK.meansTokenUnavailable(rv) {
            throw PKCS11Error(.tokenUnavailable, "the token failed while \(what) (\(CK.name(rv))); the job is retried",
                              returnValue: rv)
        }
        throw PKCS11Error(.signingFailed, "the token refused \(what) (\(CK.name(rv)))", returnValue: rv)
    }
}

/// One attribute of a search template: its type and value bytes.
struct PKCS11Attribute {
    var type: CK_ATTRIBUTE_TYPE
    var value: [UInt8]

    init(_ type: CK_ATTRIBUTE_TYPE, bytes: [UInt8]) {
        self.type = type
        self.value = bytes
    }

    init(_ type: CK_ATTRIBUTE_TYPE, ulong: CK_ULONG) {
        self.type = type
        self.value = withUnsafeBytes(of: ulong) { Array($0) }
    }

    /// Calls `body` with a C array of CK_ATTRIBUTEs pointing into copies of the values.
    static func withTemplate<R>(_ template: [PKCS11Attribute], _ body: (UnsafeMutablePointer<CK_ATTRIBUTE>, CK_ULONG) -> R) -> R {
        let total = template.reduce(0) { $0 + $1.value.count }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 8)
        defer { storage.deallocate() }
        let attributes = UnsafeMutablePointer<CK_ATTRIBUTE>.allocate(capacity: max(template.count, 1))
        defer { attributes.deallocate() }
        var offset = 0
        for (index, attribute) in template.enumerated() {
            let target = storage.baseAddress! + offset
            if !attribute.value.isEmpty {
                attribute.value.withUnsafeBytes { target.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            }
            attributes[index] = CK_ATTRIBUTE(type: attribute.type, pValue: target, ulValueLen: CK_ULONG(attribute.value.count))
            offset += attribute.value.count
        }
        return body(attributes, CK_ULONG(template.count))
    }
}
