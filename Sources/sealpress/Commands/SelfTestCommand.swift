import ArgumentParser

/// `sealpress self-test`: the SM2/SM3 start-up check on its own (image health checks, release smoke tests).
struct SelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "self-test",
        abstract: "Check that this OpenSSL has working SM2 and SM3 (exit 0), else say why (exit 3).",
        discussion: "worker, stamp and verify run the same check before doing anything.")

    func run() throws {
        try CryptoStartupCheck.require()
        print("self-test passed: SM3 known answer (\"abc\"), SM2 sign/verify with ID 1234567812345678")
    }
}
