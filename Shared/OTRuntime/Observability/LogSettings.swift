import Configuration
import Foundation
import Logging

/// How a program logs, from `OT_LOG_LEVEL` and `OT_LOG_FORMAT` (docs/configuration.md).
public struct LogSettings: Sendable, Equatable {
    /// The lines written: human-readable text, or one JSON object per line.
    public enum Format: String, Sendable, CaseIterable {
        /// swift-log's text lines.
        case text
        /// ``JSONLogHandler``'s JSON lines.
        case json
    }

    /// The lowest level written (`OT_LOG_LEVEL`, `info` by default).
    public var level: Logger.Level
    /// The format (`OT_LOG_FORMAT`, `text` by default).
    public var format: Format

    /// Settings as given.
    public init(level: Logger.Level, format: Format) {
        self.level = level
        self.format = format
    }

    /// The settings `config` gives: `ot.log.level` (`OT_LOG_LEVEL`) and `ot.log.format` (`OT_LOG_FORMAT`), names in
    /// any case.
    /// - Parameter config: The settings, as ``ConfigReader/init(environment:)`` reads them.
    /// - Throws: ``WorkerError/invalidConfiguration(_:)`` for a level or format that is not one of the names: a
    ///   typo must not silently log at another level.
    public init(config: ConfigReader) throws {
        guard let level = Logger.Level(rawValue: config.string(forKey: Self.levelKey, default: "info").lowercased())
        else {
            throw config.invalidValue(
                forKey: Self.levelKey,
                expected: "one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let format = Format(rawValue: config.string(forKey: Self.formatKey, default: "text").lowercased()) else {
            throw config.invalidValue(forKey: Self.formatKey, expected: "text or json")
        }
        self.level = level
        self.format = format
    }

    private static let levelKey: ConfigKey = "ot.log.level"
    private static let formatKey: ConfigKey = "ot.log.format"

    /// Bootstraps swift-log with these settings, to standard error.
    public func bootstrap() {
        let settings = self
        LoggingSystem.bootstrap { label in settings.handler(label: label) }
    }

    /// The handler of a logger labelled `label`, writing to standard error: either format behind
    /// ``MaskingLogHandler``, which masks national IDs in every message and metadata value.
    func handler(label: String) -> any LogHandler {
        switch format {
        case .json:
            return MaskingLogHandler(JSONLogHandler(label: label, logLevel: level))
        case .text:
            var handler = MaskingLogHandler(StreamLogHandler.standardError(label: label))
            handler.logLevel = level
            return handler
        }
    }
}
