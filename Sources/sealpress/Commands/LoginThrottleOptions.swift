import ArgumentParser
import Foundation
import SealConsole

/// The console's login throttle (``LoginThrottle``) as `serve` and `console` flags; the defaults are the policy's.
struct LoginThrottleOptions: ParsableArguments {
    @Option(
        name: .customLong("login-account-failures"),
        help: "Failed logins for one account within the window that lock it.")
    var accountFailures = LoginThrottle.Policy().maxAccountFailures
    @Option(
        name: .customLong("login-address-failures"),
        help: "Failed logins from one client address within the window that lock it (people behind one proxy share it).")
    var addressFailures = LoginThrottle.Policy().maxAddressFailures
    @Option(name: .customLong("login-window"), help: "How far back failed logins count, in seconds.")
    var window = Int(LoginThrottle.Policy().windowSeconds)
    @Option(name: .customLong("login-lockout"), help: "How long a locked account or address is refused, in seconds.")
    var lockout = Int(LoginThrottle.Policy().lockoutSeconds)

    func validate() throws {
        for (flag, value) in [
            ("--login-account-failures", accountFailures), ("--login-address-failures", addressFailures),
            ("--login-window", window), ("--login-lockout", lockout),
        ] where value < 1 {
            throw ValidationError("\(flag) must be at least 1 (got \(value))")
        }
    }

    var policy: LoginThrottle.Policy {
        LoginThrottle.Policy(
            maxAccountFailures: accountFailures, maxAddressFailures: addressFailures,
            windowSeconds: TimeInterval(window), lockoutSeconds: TimeInterval(lockout))
    }
}
