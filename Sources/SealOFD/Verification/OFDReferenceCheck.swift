import SealReport

/// Checks a signature's `References`: every listed file must exist and hash to its `CheckValue`.
///
/// CheckMethod names seen in real files are accepted: `SM3`, `sm3`, `1.2.156.10197.1.401` (and its `.1`
/// variant), plus the SHA and MD5 names of the schema. Unknown methods are indeterminate, never passed.
struct OFDReferenceCheck {
    /// Digest algorithms a CheckMethod can name.
    enum Method: Sendable, Hashable {
        /// `sm3Keyed` is GB/T 33560's "SM3 with key" (`.401.2`, iOFD): plain SM3 is tried, but a mismatch
        /// cannot be told apart from a keyed digest, so it is indeterminate rather than failed.
        case sm3, sm3Keyed, sha1, sha256, md5

        init?(checkMethod: String?) {
            // The schema default is MD5; every real producer names SM3 explicitly.
            let name = (checkMethod ?? "MD5").trimmingXMLWhitespace().lowercased()
            switch name {
            case "sm3", "1.2.156.10197.1.401", "1.2.156.10197.1.401.1", "sm3withoutkey": self = .sm3
            case "1.2.156.10197.1.401.2", "sm3withkey": self = .sm3Keyed
            case "sha1", "sha-1", "1.3.14.3.2.26": self = .sha1
            case "sha256", "sha-256", "2.16.840.1.101.3.4.2.1": self = .sha256
            case "md5", "1.2.840.113549.2.5": self = .md5
            default: return nil
            }
        }
    }

    let package: OFDPackage
    let file: OFDSignatureFile
    /// The signature list this signature belongs to: when it is protected and changed, the reason says why.
    let signatureListPath: String
    let digest: (Method, [UInt8]) -> [UInt8]?
    /// Digests already computed in this verification (signatures of one document protect the same files).
    var memo: OFDDigestMemo? = nil

    /// The checks, the package paths the References cover, and the quirks of the CheckMethod.
    func run() -> (checks: [Check], covered: Set<String>, quirks: [String]) {
        var checks: [Check] = []
        var covered: Set<String> = []
        var quirks: [String] = []
        guard !file.references.isEmpty else {
            checks.append(.failed("references", .integrity, .formatFailure, "the signature protects no file (no References)"))
            return (checks, covered, quirks)
        }
        guard let method = Method(checkMethod: file.checkMethod) else {
            checks.append(
                .indeterminate(
                    "references", .integrity, .cryptoConstraintsFailure,
                    "unsupported CheckMethod \(file.checkMethod ?? "(none)"): the protected files cannot be checked"))
            return (checks, covered, quirks)
        }
        if let raw = file.checkMethod {
            if raw.first?.isNumber != true {
                quirks.append("CheckMethod written as the name '\(raw)' instead of an OID; read as \(method)")
            } else if raw != "1.2.156.10197.1.401" && method == .sm3 {
                quirks.append("CheckMethod '\(raw)' read as SM3 (1.2.156.10197.1.401)")
            }
        } else {
            quirks.append("no CheckMethod: the schema's default MD5 was assumed")
        }
        var changed: [String] = []
        var listChanged = false
        var missing: [String] = []
        var unreadable: [String] = []
        for reference in file.references {
            guard let path = package.locate(reference.fileRef, from: file.path) else {
                missing.append(reference.fileRef)
                continue
            }
            covered.insert(path)
            guard let expected = reference.checkValue else {
                unreadable.append(reference.fileRef)
                continue
            }
            guard let actual = memo?.digest(of: path, method) ?? computeDigest(of: path, method) else {
                unreadable.append(reference.fileRef)
                continue
            }
            if actual != expected {
                if path == signatureListPath { listChanged = true } else { changed.append(PackagePath.absolute(path)) }
            }
        }
        let total = file.references.count
        if listChanged {
            checks.append(
                .failed(
                    "lockedSignatureList", .integrity, .hashFailure,
                    "this signature locked the document (it protects Signatures.xml), yet the signature list changed "
                        + "afterwards: a signature was added or removed later"))
        }
        if !missing.isEmpty {
            checks.append(
                .failed(
                    "referencedFileMissing", .integrity, .hashFailure,
                    "\(missing.count) protected file(s) are missing from the package: \(Self.list(missing))"))
        }
        if !changed.isEmpty && method == .sm3Keyed {
            checks.append(
                .indeterminate(
                    "referenceDigest", .integrity, .cryptoConstraintsFailure,
                    "CheckMethod 1.2.156.10197.1.401.2 (SM3 with a key): \(changed.count) of \(total) digest(s) differ "
                        + "from plain SM3 and the key is unknown: \(Self.list(changed))"))
        }
        let keyedMismatch = method == .sm3Keyed && !changed.isEmpty
        if keyedMismatch { changed = [] }
        if !changed.isEmpty {
            checks.append(
                .failed(
                    "referenceDigest", .integrity, .hashFailure,
                    "\(changed.count) of \(total) protected file(s) changed after signing: \(Self.list(changed))"))
        }
        if !unreadable.isEmpty {
            checks.append(
                .failed(
                    "referenceDigest", .integrity, .formatFailure,
                    "\(unreadable.count) reference(s) have an unreadable CheckValue or file: \(Self.list(unreadable))"))
        }
        if missing.isEmpty && changed.isEmpty && unreadable.isEmpty && !keyedMismatch && !listChanged {
            if method == .md5 || method == .sha1 {
                // Matching weak digests prove little: a file can be forged to the same MD5 or SHA-1 digest.
                checks.append(
                    .indeterminate(
                        "referenceDigest", .integrity, .cryptoConstraintsFailure,
                        "all \(total) protected files match their \(method == .md5 ? "MD5" : "SHA-1") digests, but that "
                            + "algorithm no longer protects against forgery: the files cannot be shown unchanged"))
            } else {
                checks.append(
                    .passed("referenceDigest", .integrity, "all \(total) protected files match their \(method) digests"))
            }
        }
        return (checks, covered, quirks)
    }

    static func list(_ paths: [String]) -> String {
        paths.count <= 8 ? paths.joined(separator: ", ") : paths.prefix(8).joined(separator: ", ") + ", …"
    }
}

extension OFDReferenceCheck {
    /// Inflates and hashes one file, remembering the digest in ``memo``.
    private func computeDigest(of path: String, _ method: Method) -> [UInt8]? {
        guard let bytes = try? package.read(path), let actual = digest(method, bytes) else { return nil }
        memo?.remember(actual, of: path, method)
        return actual
    }
}

/// The digests of package files computed during one verification of one package (the bytes cannot change in
/// between), so a file that several signatures protect is inflated and hashed once. Never shared across
/// verifications.
final class OFDDigestMemo {
    private struct Key: Hashable {
        var path: String
        var method: OFDReferenceCheck.Method
    }

    private var digests: [Key: [UInt8]] = [:]

    func digest(of path: String, _ method: OFDReferenceCheck.Method) -> [UInt8]? {
        digests[Key(path: path, method: method)]
    }

    func remember(_ digest: [UInt8], of path: String, _ method: OFDReferenceCheck.Method) {
        digests[Key(path: path, method: method)] = digest
    }
}
