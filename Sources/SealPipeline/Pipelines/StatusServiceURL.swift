public import Foundation

/// The one rule for a seal status service's address, shared by the worker's `--status-service`, `sealpress
/// verify --status-service` and a pipeline's `status_services`: an absolute http(s) URL with a host.
public enum StatusServiceURL {
    /// What an address must be, for messages.
    public static let requirement = "a status service must be an http(s) URL, e.g. https://issuer.example:8443"

    /// The URL, or nil when `text` is not an absolute http(s) URL with a host.
    public static func parse(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return nil }
        return url
    }
}
