import SealCrypto
import Foundation

/// The signature dictionary as written before signing, and how its placeholders are found and filled.
///
/// /ByteRange is written as `[0 9999999999 9999999999 9999999999]`: ten digits per number, enough for files up
/// to 9.3 GB (pyHanko#336 broke at 100 MB with an eight-digit placeholder); the real numbers are written over it
/// and padded with spaces. /Contents is `<00…00>` with exactly the reserved number of bytes.
struct SignatureDictionaryLayout {
    var format: PDFSignatureFormat
    var contentsBytes: Int
    var signingTime: Date
    var reason: String?
    var location: String?
    var contactInfo: String?
    var signerName: String?
    var certify: PDFCertification?
    var lockedFields: [String]? = nil

    static let placeholderNumber = 9_999_999_999

    func dictionary() -> PDFDictionary {
        var dictionary: PDFDictionary = [
            "Type": .name("Sig"), "Filter": .name(PDFName(format.filter)), "SubFilter": .name(PDFName(format.subFilter)),
            "ByteRange": .array([0, .integer(Self.placeholderNumber), .integer(Self.placeholderNumber), .integer(Self.placeholderNumber)]),
            "Contents": .string(PDFString(bytes: [UInt8](repeating: 0, count: contentsBytes), isHex: true)),
            "M": .string(PDFString(text: Self.pdfDate(signingTime))),
        ]
        if let signerName { dictionary["Name"] = .string(PDFString(text: signerName)) }
        if let reason { dictionary["Reason"] = .string(PDFString(text: reason)) }
        if let location { dictionary["Location"] = .string(PDFString(text: location)) }
        if let contactInfo { dictionary["ContactInfo"] = .string(PDFString(text: contactInfo)) }
        var references: [PDFObject] = []
        if let certify {
            let params: PDFDictionary = ["Type": .name("TransformParams"), "P": .integer(certify.rawValue), "V": .name("1.2")]
            let reference: PDFDictionary = [
                "Type": .name("SigRef"), "TransformMethod": .name("DocMDP"), "TransformParams": .dictionary(params),
            ]
            references.append(.dictionary(reference))
        }
        if let lock = fieldLock {
            let reference: PDFDictionary = [
                "Type": .name("SigRef"), "TransformMethod": .name("FieldMDP"), "TransformParams": .dictionary(lock),
            ]
            references.append(.dictionary(reference))
        }
        if !references.isEmpty { dictionary["Reference"] = .array(references) }
        return dictionary
    }

    /// The FieldMDP TransformParams (also written as the field's /Lock), nil without a lock.
    var fieldLock: PDFDictionary? {
        guard let lockedFields else { return nil }
        var params: PDFDictionary = ["Type": .name("TransformParams"), "V": .name("1.2")]
        if lockedFields.isEmpty {
            params["Action"] = .name("All")
        } else {
            params["Action"] = .name("Include")
            params["Fields"] = .array(lockedFields.map { .string(PDFString(text: $0)) })
        }
        return params
    }

    /// Where the placeholders ended up in the written file (absolute offsets).
    struct Placeholders {
        /// `[` … `]` of the /ByteRange array.
        var byteRangeText: Range<Int>
        /// `<` … `>` of the /Contents string.
        var contents: Range<Int>

        /// The /ByteRange text to write over the placeholder, same length.
        func byteRangeValue(totalLength: Int) -> [UInt8] {
            let numbers = "[0 \(contents.lowerBound) \(contents.upperBound) \(totalLength - contents.upperBound)"
            var text = Array(numbers.utf8)
            text += [UInt8](repeating: UInt8(ascii: " "), count: byteRangeText.count - text.count - 1)
            text.append(UInt8(ascii: "]"))
            return text
        }
    }

    /// Finds the placeholders inside the signature object's written bytes.
    func locatePlaceholders(in written: PDFWrittenUpdate, objectRange: Range<Int>) throws -> Placeholders {
        let base = written.original.count
        let bytes = written.appended
        let start = objectRange.lowerBound - base
        let end = objectRange.upperBound - base
        guard let key = Self.find(Array("/ByteRange".utf8), in: bytes, from: start, to: end),
            let open = Self.find([UInt8(ascii: "[")], in: bytes, from: key, to: end),
            let close = Self.find([UInt8(ascii: "]")], in: bytes, from: open, to: end),
            let contentsKey = Self.find(Array("/Contents".utf8), in: bytes, from: start, to: end),
            let lt = Self.find([UInt8(ascii: "<")], in: bytes, from: contentsKey, to: end)
        else {
            throw PDFStampError(.signingFailed, "the signature placeholders were not found in the written update")
        }
        let gt = lt + 1 + 2 * contentsBytes
        guard gt < end, bytes[gt] == UInt8(ascii: ">") else {
            throw PDFStampError(.signingFailed, "the /Contents placeholder was not written as one hex string")
        }
        return Placeholders(byteRangeText: (base + open)..<(base + close + 1), contents: (base + lt)..<(base + gt + 1))
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int, to: Int) -> Int? {
        guard to - from >= needle.count else { return nil }
        var index = from
        let first = needle[0]
        while index <= to - needle.count {
            if bytes[index] == first {
                var match = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                    match = false
                    break
                }
                if match { return index }
            }
            index += 1
        }
        return nil
    }

    static func hex(_ bytes: [UInt8]) -> [UInt8] { Hex.ascii(bytes, uppercase: true) }

    static func pdfDate(_ date: Date) -> String { PDFDate.format(date) }
}
