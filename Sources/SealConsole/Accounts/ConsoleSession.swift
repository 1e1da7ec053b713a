import Foundation

/// A logged-in browser: the account, its role, and the CSRF token every POST of this session must carry.
struct ConsoleSession: Sendable, Hashable {
    var account: String
    var role: ConsoleRole
    var csrfToken: String
    var expiresAt: Date
}
