import Foundation

/// Where a token's PIN is read: a file (`file:PATH`) or an environment variable (`env:NAME`), never the
/// reference itself. The PIN is read when a token is first logged in to and kept only in that pool's memory.
public enum PINSource: Sendable, Hashable, CustomStringConvertible {
    case file(String)
    case environment(String)

    init(_ text: String) throws(PKCS11Error) {
        if text.hasPrefix("file:") {
            var path = String(text.dropFirst("file:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }  // file:///run/pin
            guard path.hasPrefix("/") else { throw PKCS11Error(.invalidURI, "pin-source=file: needs an absolute path") }
            self = .file(path)
        } else if text.hasPrefix("env:") {
            let name = String(text.dropFirst("env:".count))
            guard !name.isEmpty else { throw PKCS11Error(.invalidURI, "pin-source=env: needs a variable name") }
            self = .environment(name)
        } else if text.hasPrefix("/") {
            self = .file(text)  // RFC 7512 allows a bare path
        } else {
            throw PKCS11Error(.invalidURI, "pin-source must be file:PATH or env:NAME")
        }
    }

    public var description: String {
        switch self {
        case .file(let path): "file:\(path)"
        case .environment(let name): "env:\(name)"
        }
    }

    /// The PIN bytes (one trailing newline removed).
    ///
    /// - Throws: ``PKCS11Error/Code/pinUnavailable`` when the file or variable cannot be read, or the file can be
    ///   read by every user of the machine.
    func read(environment: [String: String]) throws(PKCS11Error) -> [UInt8] {
        var bytes: [UInt8]
        switch self {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw PKCS11Error(.pinUnavailable, "the PIN variable \(name) is not set in the worker's environment")
            }
            bytes = Array(value.utf8)
        case .file(let path):
            var status = stat()
            guard stat(path, &status) == 0, let data = FileManager.default.contents(atPath: path) else {
                throw PKCS11Error(.pinUnavailable, "the PIN file \(path) cannot be read by this process")
            }
            if status.st_mode & 0o004 != 0 {
                throw PKCS11Error(
                    .pinUnavailable, "the PIN file \(path) is readable by every user: chmod 0400 it (0440 for a group)")
            }
            bytes = Array(data)
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else { throw PKCS11Error(.pinUnavailable, "the PIN from \(self) is empty") }
        return bytes
    }
}
