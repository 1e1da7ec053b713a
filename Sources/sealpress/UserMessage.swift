import ArgumentParser
import ElectronicSeal
import Foundation
import SealCrypto
import SealOFD
import SealPDF
import SealPipeline

/// What a person is told about an error: its reason sentence only — never a type name, source path, OpenSSL
/// function name or error-queue detail (those stay in `debugDescription` for logs).
enum UserMessage {
    static func reason(_ error: any Error) -> String { sanitized(rawReason(error)) }

    /// Removes what lower layers may have folded into a reason: nested error dumps such as
    /// `(ASN1Error.invalidASN1Object: … SealCrypto/Certificate.swift:48)` and source locations.
    static func sanitized(_ text: String) -> String {
        var text = text
        for pattern in [#"\s*\((?:[A-Za-z0-9]+Error)\.[^()]*\)"#, #"\s*\(?[A-Za-z0-9_/]+\.swift:\d+\)?"#,
                        #"(?:[A-Za-z0-9]+Error)\.[A-Za-z]+: "#] {
            text = text.replacingOccurrences(of: pattern, with: "", options: .regularExpression)
        }
        return text
    }

    private static func rawReason(_ error: any Error) -> String {
        switch error {
        case let error as CouldNotRun: return error.description
        case let error as SealValidityError: return error.reason
        case let error as CryptoError: return error.reason
        case let error as PDFStampError: return error.reason
        case let error as PDFError: return error.reason
        case let error as OFDError: return error.reason
        case let error as ElectronicSealError: return error.reason
        case let error as SealImageError: return error.reason
        case let error as RegistryError: return error.reason
        case let error as CocoaError:
            if let path = error.filePath { return "\(error.code == .fileReadNoSuchFile ? "no such file" : "cannot access") \(path)" }
            return error.localizedDescription
        default:
            // Foundation and other errors: one line, without the type's debug dump.
            return String((error as? any LocalizedError)?.errorDescription ?? "\(error)").split(separator: "\n").first.map(String.init) ?? "failed"
        }
    }
}

/// Refuses to replace an existing file unless `--force` was given.
enum OutputFile {
    /// Refuses a path that names a folder (no --force makes a folder a file) and an existing file without --force.
    ///
    /// - Throws: `ValidationError` (exit 64) for a folder, ``CouldNotRun`` for an existing file.
    static func checkWritable(_ path: String, force: Bool, what: String = "output") throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        if isDirectory.boolValue {
            let example = (path as NSString).appendingPathComponent("name")
            throw ValidationError("the \(what) \(path) is a folder; give a file name, e.g. \(example)")
        }
        guard !force else { return }
        throw CouldNotRun("the \(what) \(path) already exists; pass --force to replace it")
    }
}
