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

    /// The settings the environment gives.
    /// - Throws: ``WorkerError/invalidConfiguration(_:)`` for a level or format that is not one of the names: a
    ///   typo must not silently log at another level.
    public init(environment: [String: String]) throws {
        let levelText = environment["OT_LOG_LEVEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw WorkerError.invalidConfiguration(
                "OT_LOG_LEVEL must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), "
                    + "not \(levelText)")
        }
        let formatText = environment["OT_LOG_FORMAT"].flatMap { $0.isEmpty ? nil : $0 } ?? "text"
        guard let format = Format(rawValue: formatText.lowercased()) else {
            throw WorkerError.invalidConfiguration("OT_LOG_FORMAT must be text or json, not \(formatText)")
        }
        self.level = level
        self.format = format
    }

    /// Bootstraps swift-log with these settings, to standard error.
    public func bootstrap() {
        let (level, format) = (self.level, self.format)
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(label: label, logLevel: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
