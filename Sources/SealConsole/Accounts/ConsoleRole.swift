/// What an account may do in the console. Each role includes the one below it.
public enum ConsoleRole: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Reads every page; uploads documents to verify them.
    case viewer
    /// Also retries and cancels jobs, pauses and resumes queues and pipelines.
    case `operator`
    /// Also suspends and resumes seals.
    case sealAdministrator = "seal_administrator"

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .sealAdministrator: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }

    /// The name shown in the console (Chinese with the English label).
    var label: String {
        switch self {
        case .viewer: "查看员 Viewer"
        case .operator: "操作员 Operator"
        case .sealAdministrator: "印章管理员 Seal administrator"
        }
    }
}
