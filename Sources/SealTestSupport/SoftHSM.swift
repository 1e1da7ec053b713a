import Foundation
import Testing

/// A throwaway SoftHSM2 token for one test: its own token directory and `softhsm2.conf` in a temporary folder
/// (programs run with ``environment`` see only this token), initialised with `softhsm2-util --init-token --free`;
/// keys are imported with `softhsm2-util --import` and certificates written with `pkcs11-tool --write-object`.
///
/// The PIN lives in ``pinFile`` (mode 0400) for `pin-source=file:`; the test tools get it on their command line,
/// SealPress never does.
public struct SoftHSMToken: Sendable {
    /// The SoftHSM2 PKCS#11 module on this machine (Debian `softhsm2`), or nil.
    public static var modulePath: String? {
        ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
         "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so"]
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    /// True when SoftHSM2 and OpenSC's `pkcs11-tool` are installed (Makefile PEER_PACKAGES: softhsm2 opensc).
    public static var available: Bool {
        modulePath != nil && TestEnvironment.executable("softhsm2-util") != nil
            && TestEnvironment.executable("pkcs11-tool") != nil
    }

    public let directory: URL
    public let label: String
    public let pin: String
    public let module: String
    public var configPath: String { directory.appendingPathComponent("softhsm2.conf").path }
    public var pinFile: String { directory.appendingPathComponent("pin").path }
    /// `SOFTHSM2_CONF` for programs that should see this token.
    public var environment: [String: String] { ["SOFTHSM2_CONF": configPath] }

    /// Creates and initialises the token in a new folder under `parent` (or the temporary directory).
    public init(label: String = "sealpress-test", pin: String = "86420-Token", parent: URL? = nil) throws {
        guard let module = Self.modulePath else { throw SoftHSMError("SoftHSM2 is not installed") }
        self.module = module
        self.label = label
        self.pin = pin
        let base = parent ?? FileManager.default.temporaryDirectory
        directory = base.appendingPathComponent("softhsm-\(UUID().uuidString.prefix(8))")
        let tokens = directory.appendingPathComponent("tokens")
        try FileManager.default.createDirectory(at: tokens, withIntermediateDirectories: true)
        try Data("directories.tokendir = \(tokens.path)\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n".utf8)
            .write(to: URL(fileURLWithPath: configPath))
        try Data((pin + "\n").utf8).write(to: URL(fileURLWithPath: pinFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: pinFile)
        try tool("softhsm2-util", ["--init-token", "--free", "--label", label, "--so-pin", "1357-SO-\(pin)", "--pin", pin])
    }

    /// Another token in the same token directory (same configuration and PIN), e.g. for a test whose writes
    /// (a refused login updates the token's flags) must not touch the first token while a module reads it.
    /// Create siblings before a module is initialised: SoftHSM2 sees tokens that exist at C_Initialize.
    public func sibling(label: String) throws -> SoftHSMToken {
        let token = SoftHSMToken(directory: directory, label: label, pin: pin, module: module)
        try token.tool("softhsm2-util", ["--init-token", "--free", "--label", label, "--so-pin", "1357-SO-\(pin)", "--pin", pin])
        return token
    }

    private init(directory: URL, label: String, pin: String, module: String) {
        self.directory = directory
        self.label = label
        self.pin = pin
        self.module = module
    }

    /// Imports an unencrypted PKCS#8 PEM key as a private key object, and (when given) the PEM certificate as a
    /// certificate object with the same label and id.
    public func importKey(keyPEM: String, certificatePEM: String?, object: String, idHex: String) throws {
        try tool("softhsm2-util", [
            "--import", keyPEM, "--token", label, "--label", object, "--id", idHex, "--pin", pin,
        ])
        guard let certificatePEM, let openssl = TestEnvironment.executable("openssl") else { return }
        let der = directory.appendingPathComponent("\(object)-\(idHex).cert.der").path
        let converted = try TestEnvironment.run(openssl, ["x509", "-in", certificatePEM, "-outform", "DER", "-out", der])
        guard converted.status == 0 else { throw SoftHSMError("openssl x509: \(converted.stderr)") }
        try tool("pkcs11-tool", [
            "--module", module, "--token-label", label, "--login", "--pin", pin, "--write-object", der, "--type", "cert",
            "--id", idHex, "--label", object,
        ])
    }

    /// The RFC 7512 URI of a key on this token, PIN from ``pinFile``.
    public func uri(object: String, idHex: String? = nil, module: String? = nil, extra: String = "") -> String {
        let id = idHex.map { hex in
            ";id=" + stride(from: 0, to: hex.count, by: 2).map { offset -> String in
                let start = hex.index(hex.startIndex, offsetBy: offset)
                return "%" + hex[start..<hex.index(start, offsetBy: 2)]
            }.joined()
        } ?? ""
        return "pkcs11:token=\(label);object=\(object)\(id);type=private?module-path=\(module ?? self.module)"
            + "&pin-source=file:\(pinFile)\(extra)"
    }

    public func remove() { try? FileManager.default.removeItem(at: directory) }

    private func tool(_ name: String, _ arguments: [String]) throws {
        guard let program = TestEnvironment.executable(name) else { throw SoftHSMError("\(name) is not installed") }
        let result = try TestEnvironment.run(program, arguments, environment: environment)
        guard result.status == 0 else {
            throw SoftHSMError("\(name) \(arguments.first ?? "") failed (\(result.status)): \(result.stderr)\(result.stdout)")
        }
    }
}

public struct SoftHSMError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when SoftHSM2 and pkcs11-tool are installed (`make test-deps`); skipped visibly
    /// otherwise, mandatory under `SEALPRESS_REQUIRE_PEERS=1`.
    public static var softHSM: Self { peer("softhsm2 + pkcs11-tool (opensc)") { SoftHSMToken.available } }
}
