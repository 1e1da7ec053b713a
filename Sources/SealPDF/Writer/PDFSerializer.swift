/// Writes objects in a canonical, minimal form.
///
/// Strings: hex when ``PDFString/isHex`` is set (exactly `<` + 2 digits per byte + `>`, no line breaks),
/// otherwise literal with `\` escapes; names `#xx`-escaped; reals in plain decimal (never an exponent);
/// streams get their `/Length` from the data.
public enum PDFSerializer {
    /// The bytes of one object (for a stream: dictionary, `stream`, data, `endstream`).
    public static func serialize(_ object: PDFObject) -> [UInt8] {
        var output: [UInt8] = []
        write(object, to: &output)
        return output
    }

    /// Appends the bytes of one object.
    static func write(_ object: PDFObject, to output: inout [UInt8]) {
        write(
            object, to: &output, encryptString: nil as (([UInt8]) throws(Never) -> [UInt8])?,
            encryptStream: nil as ((PDFStream) throws(Never) -> [UInt8])?)
    }

    /// Appends the bytes of one object, encrypting strings and stream data with `encrypt` when given.
    static func write<Failure: Error>(
        _ object: PDFObject, to output: inout [UInt8], encryptString: (([UInt8]) throws(Failure) -> [UInt8])?,
        encryptStream: ((PDFStream) throws(Failure) -> [UInt8])?, plainKeys: Set<PDFName> = []
    ) throws(Failure) {
        switch object {
        case .null: output.append(contentsOf: "null".utf8)
        case .boolean(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): output.append(contentsOf: String(value).utf8)
        case .real(let value): appendReal(value, to: &output)
        case .string(let string):
            let bytes = try encryptString.map { (encrypt) throws(Failure) in try encrypt(string.bytes) } ?? string.bytes
            // Encrypted bytes are binary: hex keeps them safe from EOL conversion.
            appendString(PDFString(bytes: bytes, isHex: string.isHex || encryptString != nil), to: &output)
        case .name(let name): appendName(name, to: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: " ")) }
                try write(item, to: &output, encryptString: encryptString, encryptStream: encryptStream)
            }
            output.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            try appendDictionary(dictionary, to: &output, encryptString: encryptString, encryptStream: encryptStream,
                plainKeys: plainKeys)
        case .stream(let stream):
            let data = try encryptStream.map { (encrypt) throws(Failure) in try encrypt(stream) } ?? stream.rawData
            var dictionary = stream.dictionary
            dictionary[.length] = .integer(data.count)
            try appendDictionary(dictionary, to: &output, encryptString: encryptString, encryptStream: encryptStream,
                plainKeys: plainKeys)
            output.append(contentsOf: "\nstream\n".utf8)
            output.append(contentsOf: data)
            output.append(contentsOf: "\nendstream".utf8)
        case .reference(let ref):
            output.append(contentsOf: "\(ref.number) \(ref.generation) R".utf8)
        }
    }

    private static func appendDictionary<Failure: Error>(
        _ dictionary: PDFDictionary, to output: inout [UInt8], encryptString: (([UInt8]) throws(Failure) -> [UInt8])?,
        encryptStream: ((PDFStream) throws(Failure) -> [UInt8])?, plainKeys: Set<PDFName>
    ) throws(Failure) {
        output.append(contentsOf: "<<".utf8)
        for entry in dictionary.entries {
            appendName(entry.key, to: &output)
            output.append(UInt8(ascii: " "))
            let plain = plainKeys.contains(entry.key)
            try write(entry.value, to: &output, encryptString: plain ? nil : encryptString,
                encryptStream: plain ? nil : encryptStream)
        }
        output.append(contentsOf: ">>".utf8)
    }

    static func appendReal(_ value: Double, to output: inout [UInt8]) {
        guard value.isFinite else {
            output.append(UInt8(ascii: "0"))
            return
        }
        if value.rounded() == value, abs(value) < 1e15 {
            output.append(contentsOf: String(Int(value)).utf8)
            return
        }
        // Fixed point with up to 6 decimals, trailing zeros trimmed (PDF has no exponent syntax).
        let scaled = (abs(value) * 1_000_000).rounded()
        guard scaled < 9e18 else {
            // Beyond what PDF consumers accept anyway (Annex C: ±3.4e38 reals, but 2^63 integers): clamp.
            let clamped = min(abs(value).rounded(), 9e18)
            output.append(contentsOf: ((value < 0 ? "-" : "") + String(Int(clamped))).utf8)
            return
        }
        let units = Int(scaled)
        var integerPart = String(units / 1_000_000)
        var fraction = String(units % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        if value < 0 && units != 0 { integerPart = "-" + integerPart }
        output.append(contentsOf: integerPart.utf8)
        if !fraction.isEmpty {
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: fraction.utf8)
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    static func appendString(_ string: PDFString, to output: inout [UInt8]) {
        if string.isHex {
            output.reserveCapacity(output.count + string.bytes.count * 2 + 2)
            output.append(UInt8(ascii: "<"))
            for byte in string.bytes {
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
            output.append(UInt8(ascii: ">"))
            return
        }
        output.append(UInt8(ascii: "("))
        for byte in string.bytes {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 10: output.append(contentsOf: "\\n".utf8)
            case 13: output.append(contentsOf: "\\r".utf8)
            case 0..<32, 127...255:
                output.append(UInt8(ascii: "\\"))
                output.append(UInt8(ascii: "0") + (byte >> 6))
                output.append(UInt8(ascii: "0") + (byte >> 3 & 7))
                output.append(UInt8(ascii: "0") + (byte & 7))
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: ")"))
    }

    static func appendName(_ name: PDFName, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "/"))
        for byte in name.bytes {
            if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "#"), ByteClass.isRegular(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "#"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }
}
