/// How ``PDFDocument`` opens a file.
public struct PDFReadOptions: Sendable {
    /// The user or owner password; nil tries the empty user password.
    public var password: String?
    /// Whether a broken cross-reference may be rebuilt by scanning for `N G obj`.
    ///
    /// Repair changes how objects are found, so callers must not repair signed inputs they intend to keep
    /// verifiable; check ``PDFDocument/wasRepaired``.
    public var allowRepair: Bool
    /// Resource limits.
    public var limits: PDFLimits

    /// Creates options.
    public init(password: String? = nil, allowRepair: Bool = true, limits: PDFLimits = .init()) {
        self.password = password
        self.allowRepair = allowRepair
        self.limits = limits
    }
}
