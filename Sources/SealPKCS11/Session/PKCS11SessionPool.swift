internal import CSealPKCS11
import Dispatch
import Foundation
import SealCrypto
import Synchronization

/// The sessions of one process on one token for one key: at most `capacity` open at once (the worker's
/// concurrency: every slot signs on its own session), each used by one thread at a time, logged in with the
/// PIN when opened (the token's login is shared by all sessions, so this is one login unless the token forgot).
///
/// A session that fails because the session, token or module went away is dropped with every idle session
/// opened before it (they died with it); the next use finds the token again by its label or serial — slot
/// numbers change when tokens come and go — re-initialises a finalised module, opens and logs in afresh.
/// The worker is never restarted for it.
final class PKCS11SessionPool: Sendable {
    let module: PKCS11Module
    let uri: PKCS11URI
    let capacity: Int
    private let pin: [UInt8]?
    private let slots: DispatchSemaphore
    private let state = Mutex(State())

    private struct State {
        var idle: [PKCS11Session] = []
        /// Bumped when a session is found dead: sessions handed out before it are not taken back.
        var generation = 0
        var opened = 0
        var rejectedPIN = false
    }

    init(module: PKCS11Module, uri: PKCS11URI, pin: [UInt8]?, capacity: Int) {
        self.module = module
        self.uri = uri
        self.pin = pin
        self.capacity = max(1, capacity)
        self.slots = DispatchSemaphore(value: max(1, capacity))
    }

    /// Sessions opened so far over the pool's life (tests: a recovered pool opened a new one).
    var sessionsOpened: Int { state.withLock { $0.opened } }

    /// Runs `body` on a session of its own, logged in, with the key's handle found.
    func withSession<R>(
        _ body: (PKCS11Session, CK_OBJECT_HANDLE) throws(PKCS11Error) -> R
    ) throws(PKCS11Error) -> R {
        slots.wait()
        defer { slots.signal() }
        let (session, generation) = try checkOut()
        let result: Result<R, PKCS11Error> = run(session, body)
        switch result {
        case .success(let value):
            checkIn(session, generation: generation)
            return value
        case .failure(let error):
            if error.code == .tokenUnavailable {
                drop(session, error: error)
            }
            // Otherwise only this session is let go (closed): a refused request may leave an operation active on
            // it, and the next use opens a fresh one.
            throw error
        }
    }

    private func run<R>(
        _ session: PKCS11Session, _ body: (PKCS11Session, CK_OBJECT_HANDLE) throws(PKCS11Error) -> R
    ) -> Result<R, PKCS11Error> {
        do throws(PKCS11Error) {
            let key: CK_OBJECT_HANDLE
            if let known = session.keyHandle {
                key = known
            } else {
                key = try findKey(on: session)
                session.keyHandle = key
            }
            return .success(try body(session, key))
        } catch {
            return .failure(error)
        }
    }

    // MARK: - Check out, check in, drop

    private func checkOut() throws(PKCS11Error) -> (PKCS11Session, Int) {
        let taken = state.withLock { state -> (PKCS11Session?, Int, Bool) in
            (state.idle.popLast(), state.generation, state.rejectedPIN)
        }
        if let session = taken.0 { return (session, taken.1) }
        if taken.2 {
            throw PKCS11Error(.pinRefused, "the token refused this PIN before; correct the PIN behind pin-source")
        }
        let session = try open()
        return (session, taken.1)
    }

    private func checkIn(_ session: PKCS11Session, generation: Int) {
        state.withLock { state in
            if state.generation == generation { state.idle.append(session) }
        }
    }

    /// Drops a dead session and every idle one (they share its fate), so the next use starts afresh.
    private func drop(_ session: PKCS11Session, error: PKCS11Error) {
        let rv = error.returnValue ?? 0
        if rv == CK.sessionHandleInvalid || rv == CK.sessionClosed || rv == CK.cryptokiNotInitialized
            || rv == CK.deviceRemoved || rv == CK.tokenNotPresent
        {
            session.isLive = false
        }
        if rv == CK.cryptokiNotInitialized { module.markFinalized() }
        let dropped = state.withLock { state -> [PKCS11Session] in
            state.generation += 1
            defer { state.idle.removeAll() }
            return state.idle
        }
        // Idle sessions of a finalised module or removed token are dead handles: do not close them (their
        // numbers may already belong to new sessions).
        if rv == CK.cryptokiNotInitialized || rv == CK.deviceRemoved || rv == CK.tokenNotPresent {
            for idle in dropped { idle.isLive = false }
        }
    }

    // MARK: - Opening

    private func open() throws(PKCS11Error) -> PKCS11Session {
        try module.reinitialize()
        let slot = try findSlot()
        let session = try PKCS11Session(module: module, slot: slot)
        if let pin {
            do {
                try session.login(pin: pin)
            } catch {
                if error.code == .pinRefused { state.withLock { $0.rejectedPIN = true } }
                throw error
            }
        }
        state.withLock { $0.opened += 1 }
        return session
    }

    /// The slot whose token has the URI's label/serial/manufacturer/model; asked twice, 0.1 s apart, since a
    /// token busy with another process (or being re-inserted) may not answer C_GetTokenInfo for a moment.
    private func findSlot() throws(PKCS11Error) -> CK_SLOT_ID {
        do {
            return try findSlotOnce()
        } catch {
            guard error.code == .tokenNotFound else { throw error }
            usleep(100_000)
            return try findSlotOnce()
        }
    }

    private func findSlotOnce() throws(PKCS11Error) -> CK_SLOT_ID {
        let list = module.list
        var count: CK_ULONG = 0
        var rv = list.C_GetSlotList!(1, nil, &count)
        if rv == CK.cryptokiNotInitialized { module.markFinalized() }
        try PKCS11Session.check(rv, "listing the slots")
        var slotIDs = [CK_SLOT_ID](repeating: 0, count: Int(count))
        rv = list.C_GetSlotList!(1, &slotIDs, &count)
        try PKCS11Session.check(rv, "listing the slots")
        for slot in slotIDs.prefix(Int(count)) {
            var info = CK_TOKEN_INFO()
            guard list.C_GetTokenInfo!(slot, &info) == CK.ok else { continue }
            if let token = uri.token, Self.text(&info.label) != token { continue }
            if let serial = uri.serial, Self.text(&info.serialNumber) != serial { continue }
            if let manufacturer = uri.manufacturer, Self.text(&info.manufacturerID) != manufacturer { continue }
            if let model = uri.model, Self.text(&info.model) != model { continue }
            return slot
        }
        let name = uri.token.map { "labelled '\($0)'" } ?? "with serial \(uri.serial ?? "")"
        throw PKCS11Error(
            .tokenNotFound,
            "no token \(name) is present in \(module.path); check token= (softhsm2-util --show-slots, "
                + "pkcs11-tool --list-token-slots)")
    }

    /// A blank-padded fixed-width text field as a string.
    private static func text<T>(_ field: inout T) -> String {
        withUnsafeBytes(of: &field) { raw in
            var bytes = Array(raw)
            while let last = bytes.last, last == 0x20 || last == 0 { bytes.removeLast() }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The one private key the URI names on `session`.
    private func findKey(on session: PKCS11Session) throws(PKCS11Error) -> CK_OBJECT_HANDLE {
        var template = [PKCS11Attribute(CK.attributeClass, ulong: CK.classPrivateKey)]
        if let object = uri.object { template.append(PKCS11Attribute(CK.attributeLabel, bytes: Array(object.utf8))) }
        if let id = uri.id { template.append(PKCS11Attribute(CK.attributeID, bytes: id)) }
        let found = try session.find(template)
        guard let key = found.first else {
            throw PKCS11Error(
                .objectNotFound,
                "the token has no private key \(keyName) (or the PIN does not show it); list them with "
                    + "pkcs11-tool --module \(module.path) --login --list-objects")
        }
        guard found.count == 1 else {
            throw PKCS11Error(.ambiguousObject, "several private keys match \(keyName): add id= or a unique object=")
        }
        return key
    }

    var keyName: String {
        var parts: [String] = []
        if let object = uri.object { parts.append("object=\(object)") }
        if let id = uri.id { parts.append("id=" + Hex.string(id)) }
        return parts.joined(separator: ";")
    }
}
