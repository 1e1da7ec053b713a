internal import CSealSSL
import Synchronization

/// Loads OpenSSL's `legacy` provider (plus `default`, which explicit loading would otherwise hide) once.
enum LegacyProvider {
    private static let state = Mutex<Bool?>(nil)

    /// True when the legacy provider is (now) loaded.
    static func loadIfAvailable() -> Bool {
        state.withLock { loaded in
            if let loaded { return loaded }
            let defaultProvider = OSSL_PROVIDER_load(nil, "default")
            let legacy = OSSL_PROVIDER_load(nil, "legacy")
            ERR_clear_error()
            loaded = defaultProvider != nil && legacy != nil
            return loaded!
        }
    }
}
