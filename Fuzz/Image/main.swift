// libFuzzer entry point for the seal picture decoders (SealPDF's PNG decoder and JPEG frame reader behind
// SealImage, used by `stamp --image`, by the pictures inside seals and by `seal make`): any input must decode to a
// consistent picture or end in a SealImageError. A decoded picture must also flatten (PDF/A-1) and become the
// image XObject the stamper writes.
// GIF and BMP seal pictures are recognised by signature only (`seal inspect`, the HTML report): no decoder exists.
// Built by Fuzz/Image/build.sh; see Docs/reliability.md, "Fuzzing".
@testable import SealPDF

@_cdecl("LLVMFuzzerTestOneInput")
public func imageFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let image: SealImage
    do {
        image = try SealImage(imageBytes: bytes)
    } catch is SealImageError {
        return 0
    } catch {
        fatalError("untyped error from SealImage: \(type(of: error))")
    }
    precondition(image.widthPixels > 0 && image.heightPixels > 0, "a decoded picture has pixels")
    if image.encoding == .flate {
        // The writer declares Width x Height x components samples: the data must hold exactly that.
        let expected = image.widthPixels * image.heightPixels * image.colorSpace.components
        let samples = try? StampZlib.inflate(image.data, expectedSize: expected, limit: expected + 1)
        precondition(samples?.count == expected, "decoded samples do not match the declared size")
    }
    do {
        let flat = try image.flattenedOnWhite()
        precondition(flat.softMask == nil, "a flattened picture has no soft mask")
    } catch is SealImageError {
    } catch {
        fatalError("untyped error from flattenedOnWhite: \(type(of: error))")
    }
    let appearance = SealAppearance(image: image)
    _ = appearance.softMaskStream
    _ = appearance.imageStream(softMask: nil)
    return 0
}
