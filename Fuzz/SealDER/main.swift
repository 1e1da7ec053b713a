// libFuzzer entry point for the seal DER parsers (SESeal, SES_Signature and everything below them).
// Built by Fuzz/SealDER/build.sh, outside the package build; see Docs/seals.md and Docs/reliability.md.
@testable import ElectronicSeal

@_cdecl("LLVMFuzzerTestOneInput")
public func sealDERFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let seal = try SESeal(bytes: bytes)
        // Whatever parses must re-encode without trapping, and strict DER must read back.
        if let again = try? seal.serializedBytes() { _ = try? SESeal(bytes: again) }
    } catch is ElectronicSealError {
    } catch {
        fatalError("untyped error from SESeal: \(type(of: error))")
    }
    do {
        let signature = try SESSignature(bytes: bytes)
        if let again = try? signature.serializedBytes() { _ = try? SESSignature(bytes: again) }
    } catch is ElectronicSealError {
    } catch {
        fatalError("untyped error from SESSignature: \(type(of: error))")
    }
    return 0
}
