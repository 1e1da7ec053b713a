import Foundation
import Logging
import SealObservability

/// Sets up swift-log once per process, before any command runs: `--log-format text|json` and `--log-level`
/// (from the command line, for commands that declare them) or `SEALPRESS_LOG_FORMAT` / `SEALPRESS_LOG_LEVEL`
/// (for every command). Logs go to standard error; standard output stays for command results.
enum LogBootstrap {
    enum Format: String, CaseIterable { case text, json }

    /// Reads the settings from `arguments` (later wins over the environment) and bootstraps swift-log.
    static func configure(arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) {
        var format = environment["SEALPRESS_LOG_FORMAT"].flatMap(Format.init(rawValue:)) ?? .text
        var level = environment["SEALPRESS_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        if let value = value(of: "--log-format", in: arguments), let parsed = Format(rawValue: value) { format = parsed }
        if let value = value(of: "--log-level", in: arguments), let parsed = Logger.Level(rawValue: value) { level = parsed }
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }

    /// The value of `--name value` or `--name=value`, stopping at `--`.
    static func value(of name: String, in arguments: [String]) -> String? {
        var found: String?
        var index = arguments.startIndex
        while index < arguments.endIndex, arguments[index] != "--" {
            let argument = arguments[index]
            if argument == name, index + 1 < arguments.endIndex {
                found = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix(name + "=") {
                found = String(argument.dropFirst(name.count + 1))
            }
            index += 1
        }
        return found
    }
}
