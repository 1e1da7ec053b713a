public import Foundation

/// A parsed `sealpress+https://HOST:PORT/keys/NAME[?client-cert=PATH&client-key=PATH&ca=PATH&timeout=SECONDS]`.
///
/// Missing client-cert/client-key/ca come from `SEALPRESS_REMOTE_CLIENT_CERT`, `SEALPRESS_REMOTE_CLIENT_KEY` and
/// `SEALPRESS_REMOTE_CA`. Only file paths are ever in a reference, never key material.
public struct RemoteKeyLocation: Sendable, Hashable {
    /// The URL scheme of a remote key reference.
    public static let scheme = "sealpress+https"

    public var host: String
    public var port: Int
    public var keyName: String
    public var clientCertificatePath: String
    public var clientKeyPath: String
    public var caPath: String
    /// Seconds one request may take, connect included (default 20).
    public var timeoutSeconds: Double

    /// The service's base URL (`https://HOST:PORT`).
    public var baseURL: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "https://\(bracketed):\(port)"
    }

    /// The key's URL (`https://HOST:PORT/keys/NAME`).
    public var keyURL: String { baseURL + "/keys/" + (keyName.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? keyName) }

    /// Parses a reference; paths missing from it are taken from `environment`.
    ///
    /// - Throws: ``RemoteSignerError/Code/invalidReference`` naming what is wrong.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(RemoteSignerError) {
        guard text.hasPrefix(Self.scheme + "://"), let components = URLComponents(string: text),
            let host = components.host, !host.isEmpty
        else {
            throw RemoteSignerError(.invalidReference, "a remote key reference looks like sealpress+https://HOST:PORT/keys/NAME")
        }
        guard let port = components.port, (1...65535).contains(port) else {
            throw RemoteSignerError(.invalidReference, "the remote key reference needs a port (sealpress+https://HOST:PORT/keys/NAME)")
        }
        let parts = components.path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].isEmpty, parts[1] == "keys", !parts[2].isEmpty else {
            throw RemoteSignerError(.invalidReference, "the remote key reference's path must be /keys/NAME")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard let value = item.value, !value.isEmpty else {
                throw RemoteSignerError(.invalidReference, "the remote key reference's \(item.name)= has no value")
            }
            guard ["client-cert", "client-key", "ca", "timeout"].contains(item.name) else {
                throw RemoteSignerError(
                    .invalidReference, "unknown option \(item.name)= (use client-cert=, client-key=, ca=, timeout=)")
            }
            query[item.name] = value
        }
        func path(_ option: String, _ variable: String) throws(RemoteSignerError) -> String {
            guard let value = query[option] ?? environment[variable], !value.isEmpty else {
                throw RemoteSignerError(
                    .clientCredentials, "the remote key needs \(option)=PATH in the reference or \(variable) in the environment")
            }
            return value
        }
        // URLComponents keeps an IPv6 literal's brackets; the host is the address itself.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = port
        self.keyName = String(parts[2])
        self.clientCertificatePath = try path("client-cert", "SEALPRESS_REMOTE_CLIENT_CERT")
        self.clientKeyPath = try path("client-key", "SEALPRESS_REMOTE_CLIENT_KEY")
        self.caPath = try path("ca", "SEALPRESS_REMOTE_CA")
        if let timeout = query["timeout"] {
            guard let seconds = Double(timeout), seconds > 0, seconds <= 600 else {
                throw RemoteSignerError(.invalidReference, "timeout= must be seconds between 0 and 600")
            }
            self.timeoutSeconds = seconds
        } else {
            self.timeoutSeconds = 20
        }
    }
}
