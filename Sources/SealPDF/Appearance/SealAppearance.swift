/// The objects that draw a seal: the image XObject (+ soft mask) and the widget's appearance form XObject.
///
/// The image streams are built once per ``SealImage`` and shared by every stamp that uses it; only the small
/// form XObject (its /BBox and /Matrix depend on the placement) is made per document.
struct SealAppearance {
    /// The image XObject's stream (its /SMask entry is filled in by ``imageStream(softMask:)``).
    let image: SealImage

    /// The soft mask stream (8-bit DeviceGray alpha), nil for an opaque picture.
    var softMaskStream: PDFStream? {
        guard let mask = image.softMask else { return nil }
        let dictionary: PDFDictionary = [
            "Type": .name("XObject"), "Subtype": .name("Image"),
            "Width": .integer(image.widthPixels), "Height": .integer(image.heightPixels),
            "ColorSpace": .name("DeviceGray"), "BitsPerComponent": .integer(8),
            "Filter": .name("FlateDecode"), "Length": .integer(mask.count),
        ]
        return PDFStream(dictionary: dictionary, rawData: mask)
    }

    /// The image XObject, pointing at its soft mask when there is one.
    func imageStream(softMask: PDFReference?) -> PDFStream {
        var dictionary: PDFDictionary = [
            "Type": .name("XObject"), "Subtype": .name("Image"),
            "Width": .integer(image.widthPixels), "Height": .integer(image.heightPixels),
            "ColorSpace": .name(PDFName(image.colorSpace.rawValue)),
            "BitsPerComponent": .integer(image.bitsPerComponent),
            "Filter": .name(PDFName(image.encoding.rawValue)), "Length": .integer(image.data.count),
        ]
        if image.invertedCMYK { dictionary["Decode"] = .array([1, 0, 1, 0, 1, 0, 1, 0]) }
        if let softMask { dictionary["SMask"] = .reference(softMask) }
        return PDFStream(dictionary: dictionary, rawData: image.data)
    }

    /// The appearance stream: `q w 0 0 h 0 0 cm /Im0 Do Q` in a form XObject whose /Matrix undoes the page
    /// rotation, so the seal reads upright on screen and on paper.
    static func formStream(geometry: PlacementGeometry, image: PDFReference) -> PDFStream {
        let w = number(geometry.boxWidth), h = number(geometry.boxHeight)
        let content = Array("q \(w) 0 0 \(h) 0 0 cm /Im0 Do Q".utf8)
        var dictionary: PDFDictionary = [
            "Type": .name("XObject"), "Subtype": .name("Form"), "FormType": .integer(1),
            "BBox": .array([.integer(0), .integer(0), .real(geometry.boxWidth), .real(geometry.boxHeight)]),
            "Resources": .dictionary(["XObject": .dictionary(["Im0": .reference(image)])]),
            "Length": .integer(content.count),
        ]
        if geometry.matrix != [1, 0, 0, 1, 0, 0] {
            dictionary["Matrix"] = .array(geometry.matrix.map { .integer(Int($0)) })
        }
        return PDFStream(dictionary: dictionary, rawData: content)
    }

    /// A riding-seal slice's appearance: the whole picture drawn at `offset` inside a /BBox the size of the slice,
    /// so the /BBox clips it to the slice's part (the /Matrix undoes the page rotation as in ``formStream``).
    static func sliceFormStream(
        geometry: PlacementGeometry, image: PDFReference, imageSize: (width: Double, height: Double),
        offset: (x: Double, y: Double)
    ) -> PDFStream {
        let content = Array(
            "q \(number(imageSize.width)) 0 0 \(number(imageSize.height)) \(number(offset.x)) \(number(offset.y)) cm /Im0 Do Q".utf8)
        var dictionary: PDFDictionary = [
            "Type": .name("XObject"), "Subtype": .name("Form"), "FormType": .integer(1),
            "BBox": .array([.integer(0), .integer(0), .real(geometry.boxWidth), .real(geometry.boxHeight)]),
            "Resources": .dictionary(["XObject": .dictionary(["Im0": .reference(image)])]),
            "Length": .integer(content.count),
        ]
        if geometry.matrix != [1, 0, 0, 1, 0, 0] {
            dictionary["Matrix"] = .array(geometry.matrix.map { .integer(Int($0)) })
        }
        return PDFStream(dictionary: dictionary, rawData: content)
    }

    /// An empty appearance for an invisible signature (PDF 2.0 and PDF/A want /AP even on zero-size widgets).
    static func emptyFormStream() -> PDFStream {
        PDFStream(
            dictionary: [
                "Type": .name("XObject"), "Subtype": .name("Form"), "BBox": .array([0, 0, 0, 0]), "Length": 0,
            ], rawData: [])
    }

    /// A number as PDF content-stream text (at most 4 decimals, no exponent).
    static func number(_ value: Double) -> String {
        let scaled = (value * 10_000).rounded() / 10_000
        if scaled == scaled.rounded() { return String(Int(scaled)) }
        var text = String(format4: scaled)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}

extension String {
    /// Fixed 4-decimal formatting without Foundation.
    fileprivate init(format4 value: Double) {
        let negative = value < 0
        let magnitude = (abs(value) * 10_000).rounded()
        let whole = Int(magnitude / 10_000)
        let fraction = Int(magnitude) - whole * 10_000
        let digits = String(fraction)
        self = (negative ? "-" : "") + String(whole) + "." + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
