import ArgumentParser
import Foundation
import SealCrypto

/// `sealpress seal …`: make and inspect electronic seals (电子印章). A command group: the seal registry
/// commands (register, list, suspend, …) join it as further subcommands.
struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Make and inspect electronic seals (GB/T 38540-2020 v4, GM/T 0031-2014 v1).",
        subcommands: [SealMakeCommand.self, SealInspectCommand.self,
                      SealRegisterCommand.self, SealListCommand.self, SealStateCommand.self, SealResumeCommand.self,
                      SealCancelCommand.self, SealGrantCommand.self, SealRevokeCommand.self,
                      SealLimitCommand.self]
    )
}
