import Foundation
import SealCrypto
import SealPDF
import SealReport

// Owner: the PDF engine. Verifies a PDF for `sealpress verify`.
extension VerifyCommand {
    func verifyPDF(_ bytes: [UInt8]) throws -> VerificationReport {
        let roots = try TrustAnchors.load(trust)
        let options = PDFVerifyOptions(
            trust: roots.isEmpty ? nil : TrustStore(roots: roots), password: password, revocation: revocationOptions)
        return PDFVerifier.verify(bytes, options: options)
    }
}

/// Trust anchors from PEM or DER files (`--trust`, `--status-trust`).
enum TrustAnchors {
    static func load(_ paths: [String]) throws -> [Certificate] {
        var roots: [Certificate] = []
        for path in paths {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw CouldNotRun("cannot read trust anchor \(path): \(UserMessage.reason(error))")
            }
            let text = String(decoding: data, as: UTF8.self)
            do {
                roots += text.contains("-----BEGIN") ? try Certificate.certificates(pem: text) : [try Certificate(der: Array(data))]
            } catch {
                throw CouldNotRun("\(path) is not a certificate (PEM or DER): \(UserMessage.reason(error))")
            }
        }
        return roots
    }
}
