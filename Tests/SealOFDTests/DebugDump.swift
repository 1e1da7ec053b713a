import Foundation
import SealReport
import Testing
@testable import SealOFD

@Suite struct DebugDump {
    @Test func dump() throws {
        guard let name = ProcessInfo.processInfo.environment["OFD_DUMP"] else { return }
        let bytes = name.hasPrefix("/") ? Array(try Data(contentsOf: URL(fileURLWithPath: name))) : try Fixture.bytes(name)
        let report = OFDVerifier.verify(bytes)
        print(String(decoding: try report.jsonData(), as: UTF8.self))
    }
}
