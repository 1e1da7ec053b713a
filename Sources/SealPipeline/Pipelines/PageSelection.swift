import Foundation

/// The pages a placement covers, as the command line writes them: `3`, `first`, `last`, `every` (or `all`), `2-4`.
///
/// Pipelines accept the same words in `page:` (ranges are a command-line convenience that expands to one
/// placement per page).
public enum PageSelection {
    /// The page choices `text` stands for, or nil when it is not one of the forms above.
    public static func parse(_ text: String) -> [Placement.Pages]? {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch word {
        case "first": return [.first]
        case "last": return [.last]
        case "every", "all": return [.every]
        default: break
        }
        if let number = Int(word) { return number >= 1 ? [.page(number)] : nil }
        let bounds = word.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let from = Int(bounds[0]), let to = Int(bounds[1]), from >= 1, to >= from,
            to - from < 10_000
        else { return nil }
        return (from...to).map { .page($0) }
    }

    /// What to tell a user who wrote something else.
    public static let help = "a page number from 1, 'first', 'last', 'every', or a range such as 2-4"
}
