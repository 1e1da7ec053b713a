import Foundation

/// pyHanko's judgement of a PAdES B-LT/B-LTA file from what the file itself carries (its DSS, signature and
/// document timestamps), never fetching: the tests stop their CRL and OCSP servers before asking.
///
/// pyHanko 0.38's `sign validate` builds its validation context without the DSS (its `--force-revinfo` can only
/// fetch), so the two checks here are:
/// - ``adesVerify(_:trust:at:)``: `pyhanko sign adesverify --validation-time T` — AdES validation (EN 319 102-1
///   §5.6.3, the document timestamps as evidence record) that always requires revocation data; an explicit
///   validation time makes it a point-in-time validation, which uses only local data (the DSS);
/// - ``validateFromDSS(_:trust:)``: `validate_pdf_signature` with `revocation_mode='require'` (what
///   `--force-revinfo` sets) and `allow_fetching=False`, its context preloaded from the DSS — the validation
///   pyHanko's older `validate --ltv-profile` ran.
public enum PyHankoLTV {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
        /// Exit status 0 and every signature `INTACT:TRUSTED`.
        public var isValid: Bool {
            let lines = output.split(separator: "\n").filter { $0.contains(":INTACT:") || $0.contains(":INVALID") }
            return status == 0 && !lines.isEmpty && lines.allSatisfy { $0.contains(":INTACT:TRUSTED") }
        }
    }

    public static var pyhanko: URL? { TestEnvironment.executable("pyhanko") }

    /// A `python3` that imports pyhanko (the one beside the `pyhanko` command first).
    public static let python: URL? = {
        var candidates: [URL] = []
        if let pyhanko = TestEnvironment.executable("pyhanko") {
            candidates.append(pyhanko.deletingLastPathComponent().appendingPathComponent("python3"))
        }
        if let python = TestEnvironment.executable("python3") { candidates.append(python) }
        return candidates.first { candidate in
            FileManager.default.isExecutableFile(atPath: candidate.path)
                && (try? TestEnvironment.run(candidate, ["-c", "import pyhanko.sign.validation.dss"]).status) == 0
        }
    }()

    /// True when both checks can run.
    public static var available: Bool { pyhanko != nil && python != nil }

    /// `pyhanko sign adesverify --trust ROOT --trust-replace --validation-time T FILE`.
    public static func adesVerify(_ file: URL, trust: URL, at time: Date) throws -> Result {
        guard let pyhanko else { throw PyHankoLTVError("pyhanko is not installed") }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let result = try TestEnvironment.run(
            pyhanko,
            ["sign", "adesverify", "--trust", trust.path, "--trust-replace", "--validation-time",
             formatter.string(from: time), file.path])
        return Result(status: result.status, output: result.stdout + result.stderr)
    }

    /// `validate_pdf_signature` of every signature with revocation required and only the DSS's data.
    public static func validateFromDSS(_ file: URL, trust: URL) throws -> Result {
        guard let python else { throw PyHankoLTVError("no python3 that imports pyhanko") }
        let script = try TestEnvironment.temporaryDirectory("sealpress-pyhanko-ltv").appendingPathComponent("dss.py")
        try Data(dssScript.utf8).write(to: script)
        let result = try TestEnvironment.run(python, [script.path, trust.path, file.path])
        return Result(status: result.status, output: result.stdout + result.stderr)
    }

    static let dssScript = """
        import sys
        from pyhanko.keys import load_cert_from_pemder
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.dss import DocumentSecurityStore
        from pyhanko.sign.validation.errors import NoDSSFoundError
        from pyhanko_certvalidator import ValidationContext

        root, path = sys.argv[1], sys.argv[2]
        settings = {'trust_roots': [load_cert_from_pemder(root)], 'allow_fetching': False, 'revocation_mode': 'require'}
        ok = True
        with open(path, 'rb') as f:
            reader = PdfFileReader(f)
            try:
                context = DocumentSecurityStore.read_dss(reader).as_validation_context(settings)
            except NoDSSFoundError:
                context = ValidationContext(crls=[], ocsps=[], **settings)
            for signature in reader.embedded_regular_signatures:
                status = validate_pdf_signature(signature, signer_validation_context=context)
                print(f'{signature.field_name}:{status.summary()}')
                ok = ok and status.bottom_line
        sys.exit(0 if ok else 1)

        """
}

public struct PyHankoLTVError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
