internal import CSealPKCS11
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A PKCS#11 module loaded with `dlopen` and initialised for multi-threaded use (CKF_OS_LOCKING_OK): the one
/// owner of the library handle and of the module's function list.
///
/// Modules are loaded once per process (``shared(path:)``) and never unloaded: a module's own threads and
/// atexit handlers make unloading unsafe, and every signer of the process shares it. After the module was
/// finalised under us (`CKR_CRYPTOKI_NOT_INITIALIZED`), ``reinitialize()`` brings it back on next use.
final class PKCS11Module: @unchecked Sendable {  // the function list is immutable; the module locks itself
    let path: String
    private let handle: UnsafeMutableRawPointer
    private let functions: UnsafeMutablePointer<CK_FUNCTION_LIST>
    private let initialized = Mutex(false)

    private static let loaded = Mutex<[String: PKCS11Module]>([:])

    /// The process's module at `path`, loading and initialising it on first use.
    static func shared(path: String) throws(PKCS11Error) -> PKCS11Module {
        try loaded.withLock { (modules) throws(PKCS11Error) -> PKCS11Module in
            if let module = modules[path] { return module }
            let module = try PKCS11Module(path: path)
            modules[path] = module
            return module
        }
    }

    private init(path: String) throws(PKCS11Error) {
        self.path = path
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown"
            throw PKCS11Error(
                .moduleNotLoadable,
                "the PKCS#11 module \(path) cannot be loaded (\(reason)); check module-path= and that the token's "
                    + "software is installed")
        }
        guard let symbol = dlsym(handle, "C_GetFunctionList") else {
            dlclose(handle)
            throw PKCS11Error(.moduleNotLoadable, "\(path) is not a PKCS#11 module (it has no C_GetFunctionList)")
        }
        var list: UnsafeMutablePointer<CK_FUNCTION_LIST>?
        let rv = csealpkcs11_get_function_list(symbol, &list)
        guard rv == CK.ok, let list else {
            dlclose(handle)
            throw PKCS11Error(.moduleNotLoadable, "\(path) gave no function list (\(CK.name(rv)))", returnValue: rv)
        }
        let functions = list.pointee
        guard functions.C_Initialize != nil, functions.C_Finalize != nil, functions.C_GetSlotList != nil,
            functions.C_GetTokenInfo != nil, functions.C_OpenSession != nil, functions.C_CloseSession != nil,
            functions.C_CloseAllSessions != nil, functions.C_Login != nil, functions.C_GetAttributeValue != nil,
            functions.C_FindObjectsInit != nil, functions.C_FindObjects != nil, functions.C_FindObjectsFinal != nil,
            functions.C_SignInit != nil, functions.C_Sign != nil
        else {
            dlclose(handle)
            throw PKCS11Error(.moduleNotLoadable, "\(path) lacks functions SealPress needs (it cannot sign)")
        }
        guard list.pointee.version.major == 2 || list.pointee.version.major == 3 else {
            dlclose(handle)
            throw PKCS11Error(.moduleNotLoadable, "\(path) speaks PKCS#11 \(list.pointee.version.major), not 2.x")
        }
        self.handle = handle
        self.functions = list
        try reinitialize()
    }

    /// C_Initialize with OS locking, unless this process already did it and nobody finalised since.
    func reinitialize() throws(PKCS11Error) {
        try initialized.withLock { (done) throws(PKCS11Error) in
            if done { return }
            var arguments = CK_C_INITIALIZE_ARGS(
                CreateMutex: nil, DestroyMutex: nil, LockMutex: nil, UnlockMutex: nil, flags: CK.osLockingOK,
                pReserved: nil)
            let rv = functions.pointee.C_Initialize!(&arguments)
            guard rv == CK.ok || rv == CK.cryptokiAlreadyInitialized else {
                throw PKCS11Error(
                    CK.meansTokenUnavailable(rv) ? .tokenUnavailable : .moduleNotLoadable,
                    "the PKCS#11 module \(path) did not initialise (\(CK.name(rv)))", returnValue: rv)
            }
            done = true
        }
    }

    /// Notes that the module said it is not initialised (somebody called C_Finalize): the next session opens
    /// after a fresh C_Initialize.
    func markFinalized() { initialized.withLock { $0 = false } }

    /// The function list, for the session and token code of this module.
    var list: CK_FUNCTION_LIST { functions.pointee }

    /// Calls C_CloseAllSessions on `slot` (tests: sessions closed under the pool).
    func closeAllSessionsForTesting(slot: UInt) -> UInt { functions.pointee.C_CloseAllSessions!(slot) }

    /// Calls C_Finalize (tests: simulates a module that went away under the pool).
    func finalizeForTesting() {
        _ = functions.pointee.C_Finalize!(nil)
        markFinalized()
    }

    deinit {
        // Only reached if a module is dropped before it is cached (init threw after dlopen is handled there).
        _ = functions.pointee.C_Finalize!(nil)
        dlclose(handle)
    }
}
