import Foundation
import SealCrypto

/// One demo PKI shared by the tests of this target (RSA key generation is the slow part).
enum TestPKI {
    static let shared: DemoPKI = try! DemoPKI.make()
}
