import Foundation
import SwiftASN1

/// Writers for the primitive fields of seal structures. Everything produced here is strict DER.
enum StrictDER {
    static func ia5(_ text: String, _ field: String) throws -> ASN1IA5String {
        guard text.unicodeScalars.allSatisfy({ $0.value < 0x80 }) else {
            throw ElectronicSealError.parameter("\(field) must be IA5 (ASCII) text")
        }
        do { return try ASN1IA5String(text) } catch { throw ElectronicSealError.parameter("\(field) is not IA5 text") }
    }

    static func printable(_ text: String, _ field: String) throws -> ASN1PrintableString {
        do {
            return try ASN1PrintableString(text)
        } catch {
            throw ElectronicSealError.parameter("\(field) must be PrintableString text")
        }
    }

    static func octets(_ bytes: some Sequence<UInt8>) -> ASN1OctetString {
        ASN1OctetString(contentBytes: ArraySlice(bytes))
    }

    /// Writes a time as DER GeneralizedTime (`YYYYMMDDHHMMSS[.fff]Z`, UTC, no trailing zeros in the fraction).
    static func generalizedTime(_ date: Date, into coder: inout DER.Serializer, identifier: ASN1Identifier = .generalizedTime) {
        let text = SESTime.generalizedTimeText(date)
        coder.appendPrimitiveNode(identifier: identifier) { $0.append(contentsOf: Array(text.utf8)) }
    }

    /// Writes a time as DER UTCTime (`YYMMDDHHMMSSZ`, UTC). Years outside 1950–2049 cannot be UTCTime.
    static func utcTime(_ date: Date, _ field: String, into coder: inout DER.Serializer) throws {
        let parts = SESTime.utcComponents(date)
        guard let year = parts.year, (1950...2049).contains(year) else {
            throw ElectronicSealError.parameter("\(field) lies outside the UTCTime range 1950–2049")
        }
        let text = SESTime.utcTimeText(date)
        coder.appendPrimitiveNode(identifier: .utcTime) { $0.append(contentsOf: Array(text.utf8)) }
    }
}
