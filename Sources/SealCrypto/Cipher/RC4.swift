/// RC4, for reading and writing PDF files under the legacy (R2–R4) standard security handler only.
///
/// Written out here rather than taken from OpenSSL: OpenSSL 3 keeps RC4 in its `legacy` provider, which many
/// systems do not install, and a PDF reader must still open such files.
package enum RC4 {
    /// `data` XOR the key stream of `key` (encryption and decryption are the same operation).
    package static func apply(key: [UInt8], to data: [UInt8]) -> [UInt8] {
        var state = [UInt8](0...255)
        var j = 0
        if !key.isEmpty {
            for i in 0..<256 {
                j = (j + Int(state[i]) + Int(key[i % key.count])) & 0xFF
                state.swapAt(i, j)
            }
        }
        var output = data
        var i = 0
        j = 0
        for index in 0..<output.count {
            i = (i + 1) & 0xFF
            j = (j + Int(state[i])) & 0xFF
            state.swapAt(i, j)
            output[index] ^= state[(Int(state[i]) + Int(state[j])) & 0xFF]
        }
        return output
    }
}
