import ArgumentParser

/// `sealpress bench …`: throughput measured beside a peer or the hardware limit in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (queue, crypto, stamping, verification) beside a peer in the same run.",
        subcommands: [BenchQueueCommand.self, BenchCryptoCommand.self, BenchStampCommand.self, BenchVerifyCommand.self, BenchPipelineCommand.self]
    )
}
