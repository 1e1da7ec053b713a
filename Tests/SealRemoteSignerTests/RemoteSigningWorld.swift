import Foundation
import SealTestSupport
import Testing

/// A demo PKI (signing keys), TLS material made by `openssl` (service CA + server certificate, client CA with a
/// granted and a limited client, a foreign CA with an intruder) and a keys file, in one temporary folder; plus a
/// running `sealpress keys serve` process shared by the tests.
final class RemoteSigningWorld: Sendable {
    static let shared: Result<RemoteSigningWorld, WorldError> = {
        do {
            let world = try RemoteSigningWorld()
            atexit {
                if case .success(let world) = RemoteSigningWorld.shared {
                    world.service.stop()
                    try? FileManager.default.removeItem(at: world.directory)
                }
            }
            return .success(world)
        } catch {
            return .failure(WorldError("\(error)"))
        }
    }()

    /// True when the `sealpress` binary and `openssl` (the TLS material's maker) are there; the suites are skipped
    /// (visibly) otherwise — except under SEALPRESS_REQUIRE_PEERS=1, where a missing openssl fails them.
    static var available: Bool {
        TestBinaries.sealpress != nil && (TestEnvironment.executable("openssl") != nil || TestEnvironment.peersRequired)
    }

    static func require() throws -> RemoteSigningWorld { try shared.get() }

    let binary: URL
    let directory: URL
    let service: ServiceProcess

    private init() throws {
        guard let binary = TestBinaries.sealpress else { throw WorldError("the sealpress binary is not built") }
        guard let openssl = TestEnvironment.executable("openssl") else { throw WorldError("openssl is not on PATH") }
        self.binary = binary
        directory = try TestEnvironment.temporaryDirectory("sealpress-remote")
        let dir = directory.path
        try Self.check(TestEnvironment.run(binary, ["keys", "demo-pki", "--out", dir + "/pki"]), "keys demo-pki")
        try Self.makeTLSMaterial(openssl: openssl, directory: directory)
        let keys: [String: Any] = [
            "keys": [
                "rsa": "file:\(dir)/pki/rsa-signer.key.pem?cert=\(dir)/pki/rsa-signer.cert.pem",
                "ecdsa": "file:\(dir)/pki/ecdsa-signer.key.pem?cert=\(dir)/pki/ecdsa-signer.cert.pem",
                "sm2": "file:\(dir)/pki/sm2-signer.key.pem?cert=\(dir)/pki/sm2-signer.cert.pem",
                "maker": "file:\(dir)/pki/seal-maker.key.pem?cert=\(dir)/pki/seal-maker.cert.pem",
            ],
            "clients": [
                ["subject-cn": "worker-01", "keys": ["*"]],
                ["subject-cn": "limited-client", "keys": ["rsa"]],
            ],
        ]
        try JSONSerialization.data(withJSONObject: keys).write(to: directory.appendingPathComponent("keys.json"))
        service = ServiceProcess(binary: binary, directory: directory)
        try service.start(port: 0)
    }

    /// Service CA, server certificate, client CA with `worker` (CN worker-01, granted every key) and `limited`
    /// (CN limited-client, granted `rsa` only), and a foreign CA whose `intruder` ALSO says CN worker-01.
    private static func makeTLSMaterial(openssl: URL, directory: URL) throws {
        func run(_ arguments: [String]) throws {
            let result = try TestEnvironment.run(
                URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$0\" && exec \"$@\"", directory.path, openssl.path] + arguments)
            guard result.status == 0 else { throw WorldError("openssl \(arguments.prefix(2)) failed: \(result.stderr)") }
        }
        func ca(_ name: String, _ cn: String) throws {
            try run([
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(name).key",
                "-out", "\(name).pem", "-subj", "/CN=\(cn)", "-days", "3",
            ])
        }
        func leaf(_ name: String, _ cn: String, ca: String, extensions: String) throws {
            try run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "\(name).key"])
            try run(["req", "-new", "-key", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(cn)"])
            try Data(extensions.utf8).write(to: directory.appendingPathComponent("\(name).ext"))
            try run([
                "x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca).key", "-CAcreateserial",
                "-out", "\(name).pem", "-days", "3", "-extfile", "\(name).ext",
            ])
        }
        try ca("service-ca", "Test Signing Service CA")
        try ca("client-ca", "Test Client CA")
        try ca("foreign-ca", "Foreign CA")
        try leaf("server", "localhost", ca: "service-ca", extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        try leaf("worker", "worker-01", ca: "client-ca", extensions: "extendedKeyUsage=clientAuth\n")
        try leaf("limited", "limited-client", ca: "client-ca", extensions: "extendedKeyUsage=clientAuth\n")
        try leaf("intruder", "worker-01", ca: "foreign-ca", extensions: "extendedKeyUsage=clientAuth\n")
    }

    func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    /// `sealpress+https://127.0.0.1:PORT/keys/NAME?client-cert=…&client-key=…&ca=…` for a client of this world.
    func reference(_ key: String, client: String = "worker", port: Int? = nil, timeout: Double? = nil) -> String {
        var text = "sealpress+https://127.0.0.1:\(port ?? service.port)/keys/\(key)?client-cert=\(path("\(client).pem"))"
            + "&client-key=\(path("\(client).key"))&ca=\(path("service-ca.pem"))"
        if let timeout { text += "&timeout=\(timeout)" }
        return text
    }

    @discardableResult
    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestEnvironment.run(binary, arguments, environment: environment)
    }

    /// A migrated database with a batch waiting: the SM2 seal `bureau` (made by the world's seal maker for the
    /// sm2 signer) registered under `reference` and granted to `office`, a pipeline `remote` (PDF sm2, OFD ses,
    /// verify after signing) in `pipelines`, and `pdf` + `ofd` sample documents enqueued as batch `batch`.
    struct Bureau {
        let folder: URL
        let pipelines: URL
        let database: [String]
        /// What `seal register` printed.
        let registered: String
        let enqueued: Int
    }

    func bureau(
        url: String, esid: String, sealName: String, reference: String, pdf: Int, ofd: Int, batch: String,
        folderPrefix: String
    ) throws -> Bureau {
        let database = ["--database-url", url]
        let folder = directory.appendingPathComponent("\(folderPrefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func run(_ arguments: [String]) throws -> String {
            let result = try self.run(arguments)
            try Self.check(result, arguments.prefix(2).joined(separator: " "))
            return result.stdout
        }
        _ = try run(["migrate"] + database)
        let esl = folder.appendingPathComponent("bureau.esl").path
        let picture = TestEnvironment.repositoryRoot.appendingPathComponent("Tests/SealPressCLITests/Fixtures/seal.png").path
        _ = try run([
            "seal", "make", "--name", sealName, "--type", "1", "--esid", esid, "--picture", picture,
            "--width-mm", "40", "--height-mm", "40", "--signer-cert", path("pki/sm2-signer.cert.pem"),
            "--maker-key", path("pki/seal-maker.key.pem"), "--maker-cert", path("pki/seal-maker.cert.pem"),
            "--valid-from", "2020-01-01", "--valid-to", "2099-12-31", "--out", esl,
        ])
        // The registry stores only the reference; register checks it resolves and its key is the seal's signer.
        let registered = try run(
            ["seal", "register", "--name", "bureau", "--esl", esl, "--key-ref", reference, "--owner", "远程测试局"] + database)
        _ = try run(["seal", "grant", "bureau", "--principal", "office", "--to", "2099-12-31"] + database)
        let pipelines = folder.appendingPathComponent("pipelines")
        try FileManager.default.createDirectory(at: pipelines, withIntermediateDirectories: true)
        try Data("""
            name: remote
            seal: bureau
            placements:
              - page: last
                x_mm: 20
                y_mm: 20
            formats:
              pdf: sm2
              ofd: ses
            verify_after_signing: true
            """.utf8).write(to: pipelines.appendingPathComponent("remote.yaml"))
        let documents = folder.appendingPathComponent("docs")
        _ = try run(["pipeline", "samples", "--out", documents.path, "--pdf", "\(pdf)", "--ofd", "\(ofd)", "--pages", "2"])
        let enqueued = try run(
            ["enqueue", "stamp", "--pipeline", "remote", "--principal", "office", "--batch", batch, "--json",
             "--pipelines", pipelines.path, documents.path] + database)
        guard let object = try JSONSerialization.jsonObject(with: Data(enqueued.utf8)) as? [String: Any],
            let count = object["enqueued"] as? Int
        else { throw WorldError("enqueue printed no count: \(enqueued)") }
        return Bureau(folder: folder, pipelines: pipelines, database: database, registered: registered, enqueued: count)
    }

    private static func check(_ result: (status: Int32, stdout: String, stderr: String), _ what: String) throws {
        guard result.status == 0 else { throw WorldError("sealpress \(what) exited \(result.status): \(result.stderr)") }
    }
}

/// One `sealpress keys serve` process of a world (started, killed and restarted by the tests).
///
/// `@unchecked Sendable`: the process, port and collected stderr are only touched under `lock`.
final class ServiceProcess: @unchecked Sendable {
    private let lock = NSLock()
    private var process: Process?
    private var boundPort = 0
    private var collected = ""
    let binary: URL
    let directory: URL
    let logName: String
    /// The keys file (default: the world's keys.json).
    let keysFile: String
    /// Added to the service's environment (e.g. SOFTHSM2_CONF for token keys).
    let environment: [String: String]
    /// The request log (one JSON line per request).
    var logPath: String { directory.appendingPathComponent(logName).path }

    init(
        binary: URL, directory: URL, logName: String = "requests.log", keysFile: String? = nil,
        environment: [String: String] = [:]
    ) {
        self.binary = binary
        self.directory = directory
        self.logName = logName
        self.keysFile = keysFile ?? directory.appendingPathComponent("keys.json").path
        self.environment = environment
    }

    var port: Int { lock.withLock { boundPort } }
    var stderr: String { lock.withLock { collected } }

    /// Starts the service on `port` (0: any free port) and waits until it listens.
    func start(port: Int) throws {
        let process = Process()
        process.executableURL = binary
        let dir = directory.path
        process.arguments = [
            "keys", "serve", "--listen", "127.0.0.1:\(port)", "--tls-cert", dir + "/server.pem", "--tls-key", dir + "/server.key",
            "--client-ca", dir + "/client-ca.pem", "--keys", keysFile, "--log", logPath,
        ]
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        lock.withLock { collected = "" }
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.collected += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        lock.withLock { self.process = process }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = stderr
            if let range = text.range(of: "listening on 127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let bound = Int(digits), bound > 0 {
                    lock.withLock { boundPort = bound }
                    return
                }
            }
            if !process.isRunning { throw WorldError("keys serve exited \(process.terminationStatus): \(text)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw WorldError("keys serve did not start listening: \(stderr)")
    }

    /// SIGKILLs the service (no drain) and waits for it to be gone.
    func kill() {
        guard let process = lock.withLock({ self.process }), process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM: the graceful way; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard let process = lock.withLock({ self.process }) else { return -1 }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

struct WorldError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
