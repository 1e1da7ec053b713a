import Foundation
import SealCrypto
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway CA made by the `openssl` command line, with a CRL served over HTTP on loopback
/// (`python3 -m http.server`) and an OCSP responder (`openssl ocsp -index … -port …`), for revocation tests.
///
/// Ports are picked free when the CA is made (certificates name them); the servers start with ``start()`` and
/// stop with ``stop()`` or when the value is released. Every instance has its own directory and ports, so tests
/// can run in parallel.
public final class RevocationTestPKI: @unchecked Sendable {
    // @unchecked: used by one test at a time; the Process handles are only touched by start/stop.
    public struct Issued: Sendable {
        /// The file stem in ``directory`` (`NAME.pem`, `NAME.key`).
        public let name: String
        public let certificate: Certificate
        public let keyPEM: String
        public let serial: Int

        /// A software signer with the CA in its chain.
        public func signer(chain: [Certificate]) throws -> SoftwareSigner {
            try SoftwareSigner(key: try PrivateKey(pem: keyPEM), certificate: certificate, chain: chain)
        }
    }

    public let directory: URL
    public let ocspPort: Int
    public let httpPort: Int
    public private(set) var root: Certificate!
    /// The CA certificate as a PEM file (for `--trust`).
    public var rootPEMFile: URL { directory.appendingPathComponent("ca.pem") }
    public var ocspURL: String { "http://127.0.0.1:\(ocspPort)" }
    public var crlURL: String { "http://127.0.0.1:\(httpPort)/ca.crl" }

    private var entries: [(serial: Int, subject: String, revokedAt: Date?)] = []
    private var nextSerial = 0x1000
    private var servers: [Process] = []
    private let openssl: URL
    /// How long OCSP responses and the CRL stay current (nextUpdate − thisUpdate); nil: 10 minutes and 1 day.
    public let responseValidityDays: Int?

    /// - Parameter responseValidityDays: make OCSP responses and the CRL current for this many days (a
    ///   validation "days later" with only the embedded data needs them still current then); nil keeps them
    ///   short (OCSP 10 minutes, CRL 1 day).
    public init(responseValidityDays: Int? = nil) throws {
        self.responseValidityDays = responseValidityDays
        guard let openssl = TestEnvironment.executable("openssl") else {
            throw RevocationTestPKIError("the openssl command is not installed")
        }
        self.openssl = openssl
        self.directory = try TestEnvironment.temporaryDirectory("sealpress-revocation")
        self.ocspPort = try Self.freePort()
        self.httpPort = try Self.freePort()
        try run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
            "-out", "ca.pem", "-days", "3650", "-subj", "/CN=SealPress Revocation Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-addext", "subjectKeyIdentifier=hash",
        ])
        root = try Certificate(pem: try String(contentsOf: rootPEMFile, encoding: .utf8))
        // The delegated OCSP responder (id-kp-OCSPSigning, no-check).
        _ = try issue(
            "ocsp", extensions: "extendedKeyUsage=OCSPSigning\nkeyUsage=critical,digitalSignature\nnoCheck=ignored\n",
            listed: false)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Issues an end-entity certificate. `ocsp`/`crl` decide which locations it names; `listed: false` keeps it
    /// out of the responder's index (OCSP answers `unknown`); `sm2: true` gives it an SM2 key (for seals; the CA
    /// still signs with ECDSA P-256).
    public func issue(
        _ name: String, ocsp: Bool = true, crl: Bool = true, listed: Bool = true, days: Int = 365, sm2: Bool = false
    ) throws -> Issued {
        var extensions = "keyUsage=critical,digitalSignature,nonRepudiation\n"
        if ocsp { extensions += "authorityInfoAccess=OCSP;URI:\(ocspURL)\n" }
        if crl { extensions += "crlDistributionPoints=URI:\(crlURL)\n" }
        return try issue(name, extensions: extensions, listed: listed, days: days, sm2: sm2)
    }

    /// Issues a time-stamping authority certificate (critical extendedKeyUsage timeStamping) that names the
    /// responder and the CRL, valid `days` (long by default: a document timestamp outlives the signer).
    public func issueTSA(_ name: String, days: Int = 3650) throws -> Issued {
        let extensions = "keyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n"
            + "authorityInfoAccess=OCSP;URI:\(ocspURL)\ncrlDistributionPoints=URI:\(crlURL)\n"
        return try issue(name, extensions: extensions, listed: true, days: days)
    }

    private func issue(_ name: String, extensions: String, listed: Bool, days: Int = 3650, sm2: Bool = false) throws -> Issued {
        nextSerial += 1
        let serial = nextSerial
        let config = "[v3]\nbasicConstraints=CA:FALSE\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n" + extensions
        try Data(config.utf8).write(to: directory.appendingPathComponent("\(name).ext"))
        if sm2 {
            // An SM2 request is self-signed with SM3 and the standard ID, which the CA must be told to verify with.
            try run(["genpkey", "-algorithm", "SM2", "-out", "\(name).key"])
            try run([
                "req", "-new", "-key", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)", "-sm3", "-sigopt",
                "distid:1234567812345678",
            ])
        } else {
            try run([
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(name).key",
                "-out", "\(name).csr", "-subj", "/CN=\(name)",
            ])
        }
        try run([
            "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", String(serial),
            "-days", String(days), "-sha256", "-extfile", "\(name).ext", "-extensions", "v3", "-out", "\(name).pem",
        ] + (sm2 ? ["-vfyopt", "distid:1234567812345678"] : []))
        let certificate = try Certificate(
            pem: try String(contentsOf: directory.appendingPathComponent("\(name).pem"), encoding: .utf8))
        let key = try String(contentsOf: directory.appendingPathComponent("\(name).key"), encoding: .utf8)
        if listed { entries.append((serial, "/CN=\(name)", nil)) }
        return Issued(name: name, certificate: certificate, keyPEM: key, serial: serial)
    }

    /// A certificate issued by the CA for an OCSP responder: with id-kp-OCSPSigning (a delegated responder) or,
    /// `ocspSigning: false`, an ordinary certificate of the CA that was never delegated to answer OCSP.
    public func issueResponder(_ name: String, ocspSigning: Bool) throws -> Issued {
        let extensions = ocspSigning
            ? "extendedKeyUsage=OCSPSigning\nkeyUsage=critical,digitalSignature\nnoCheck=ignored\n"
            : "keyUsage=critical,digitalSignature\n"
        return try issue(name, extensions: extensions, listed: false)
    }

    /// A responder certificate the CA never issued: its own key, self-signed, with id-kp-OCSPSigning and the
    /// CA's subject name (so a response it signs names the CA as its responder).
    public func unrelatedResponder(_ name: String) throws -> Issued {
        try run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(name).key",
            "-out", "\(name).pem", "-days", "30", "-subj", "/CN=SealPress Revocation Test CA",
            "-addext", "extendedKeyUsage=OCSPSigning", "-addext", "keyUsage=critical,digitalSignature",
        ])
        let certificate = try Certificate(
            pem: try String(contentsOf: directory.appendingPathComponent("\(name).pem"), encoding: .utf8))
        let key = try String(contentsOf: directory.appendingPathComponent("\(name).key"), encoding: .utf8)
        return Issued(name: name, certificate: certificate, keyPEM: key, serial: 0)
    }

    /// Answers a DER OCSP request from the index (``publish()`` first) as `openssl ocsp` does, but signed by
    /// `responder`'s key; `includeCertificate: false` leaves the responder's certificate out of the response.
    public func ocspResponse(to request: [UInt8], signedBy responder: Issued, includeCertificate: Bool = true)
        throws -> [UInt8]
    {
        let stem = "request-\(UUID().uuidString)"
        try Data(request).write(to: directory.appendingPathComponent("\(stem).der"))
        var arguments = [
            "ocsp", "-index", "index.txt", "-CA", "ca.pem", "-rsigner", "\(responder.name).pem", "-rkey",
            "\(responder.name).key", "-reqin", "\(stem).der", "-respout", "\(stem).resp", "-ndays", "1",
        ]
        if !includeCertificate { arguments.append("-resp_no_certs") }
        try run(arguments)
        return Array(try Data(contentsOf: directory.appendingPathComponent("\(stem).resp")))
    }

    /// Marks a certificate revoked at `date` (written by ``publish()``).
    public func revoke(_ issued: Issued, at date: Date) {
        for index in entries.indices where entries[index].serial == issued.serial { entries[index].revokedAt = date }
    }

    /// Writes the responder's index and a CRL made by `openssl ca -gencrl` (DER at /ca.crl, valid a day).
    public func publish() throws {
        let expiry = Self.indexTime(Date().addingTimeInterval(365 * 86_400))
        var index = ""
        for entry in entries {
            let serial = String(format: "%04X", entry.serial)
            if let revoked = entry.revokedAt {
                index += "R\t\(expiry)\t\(Self.indexTime(revoked)),keyCompromise\t\(serial)\tunknown\t\(entry.subject)\n"
            } else {
                index += "V\t\(expiry)\t\t\(serial)\tunknown\t\(entry.subject)\n"
            }
        }
        try Data(index.utf8).write(to: directory.appendingPathComponent("index.txt"))
        try Data("unique_subject = no\n".utf8).write(to: directory.appendingPathComponent("index.txt.attr"))
        try Data("01\n".utf8).write(to: directory.appendingPathComponent("crlnumber"))
        let config = """
            [ca]
            default_ca = test
            [test]
            dir = .
            database = index.txt
            crlnumber = crlnumber
            default_md = sha256
            default_crl_days = \(responseValidityDays ?? 1)

            """
        try Data(config.utf8).write(to: directory.appendingPathComponent("ca.cnf"))
        try run(["ca", "-gencrl", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.pem", "-out", "ca.crl.pem"])
        try run(["crl", "-in", "ca.crl.pem", "-outform", "DER", "-out", "ca.crl"])
    }

    /// Starts the CRL web server and the OCSP responder, and waits until both accept connections.
    public func start() throws {
        guard servers.isEmpty else { return }
        guard let python = TestEnvironment.executable("python3") else {
            throw RevocationTestPKIError("python3 is not installed")
        }
        servers.append(
            try launch(python, ["-m", "http.server", String(httpPort), "--bind", "127.0.0.1", "--directory", directory.path]))
        servers.append(
            try launch(openssl, [
                "ocsp", "-index", "index.txt", "-port", String(ocspPort), "-rsigner", "ocsp.pem", "-rkey", "ocsp.key",
                "-CA", "ca.pem",
            ] + (responseValidityDays.map { ["-ndays", String($0)] } ?? ["-nmin", "10"]) + ["-ignore_err", "-timeout", "3"]))
        for port in [httpPort, ocspPort] {
            guard Self.waitForListener(port) else { throw RevocationTestPKIError("a test server did not start on \(port)") }
        }
    }

    /// Stops both servers (a responder that is down).
    public func stop() {
        // SIGKILL: a busy `openssl ocsp` does not always act on SIGTERM, and waiting for it would hang the test.
        for server in servers where server.isRunning {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        servers = []
    }

    private func launch(_ program: URL, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = openssl
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RevocationTestPKIError(
                "openssl \(arguments.first ?? "") failed: \(String(decoding: message, as: UTF8.self).prefix(500))")
        }
    }

    /// `YYMMDDHHMMSSZ`, as openssl's index.txt writes times.
    static func indexTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyMMddHHmmss"
        return formatter.string(from: date) + "Z"
    }

    /// A TCP port nothing listens on right now (bound to port 0 and released).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RevocationTestPKIError("no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw RevocationTestPKIError("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func waitForListener(_ port: Int, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            if connected {
                // A whole request, not a bare connect: `openssl ocsp` serves one connection at a time and would
                // wait on a silent one.
                let request = Array("GET / HTTP/1.0\r\n\r\n".utf8)
                _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
                var buffer = [UInt8](repeating: 0, count: 512)
                while recv(fd, &buffer, buffer.count, 0) > 0 {}
                close(fd)
                return true
            }
            close(fd)
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }
}

/// Why the revocation test PKI could not be set up.
public struct RevocationTestPKIError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
