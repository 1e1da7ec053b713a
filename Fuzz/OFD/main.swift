import SealOFD

/// libFuzzer entry point: any input must end in a typed error or a report, never a crash, hang or huge allocation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = OFDPackageLimits(maxEntries: 256, maxEntryBytes: 4 << 20, maxTotalBytes: 16 << 20, maxXMLBytes: 1 << 20)
    if let package = try? OFDPackage(bytes, limits: limits) {
        for path in package.archive.filePaths.prefix(64) { _ = try? package.read(path) }
        _ = try? OFDDocument(package: package)
    }
    _ = OFDVerifier.verify(bytes, limits: limits)
    return 0
}
