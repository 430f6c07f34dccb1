import Foundation
import Logging
import OTContract

/// A swift-log handler that writes one JSON object per line (`OT_LOG_FORMAT=json`), for log collectors:
/// `{"time":"…","level":"info","logger":"ot-registrations","message":"…","source":"OTRuntime", …metadata}`.
/// It writes what it is given: ``LogSettings`` puts it behind ``MaskingLogHandler``, which masks national IDs in the
/// message and the metadata (`010203*****`), as for the text format.
public struct JSONLogHandler: LogHandler {
    /// The logger's label (`logger` in each line).
    public let label: String
    /// The lowest level written.
    public var logLevel: Logger.Level
    /// Metadata every line of this logger carries.
    public var metadata: Logger.Metadata = [:]
    private let write: @Sendable (String) -> Void

    /// A handler writing to standard error, or to `write` (tests).
    public init(
        label: String, logLevel: Logger.Level = .info,
        write: @escaping @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data(line.utf8)) }
    ) {
        self.label = label
        self.logLevel = logLevel
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: JSONValue] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = Self.json(value)
        }
        fields["time"] = .string(Timestamp(Date()).rfc3339)
        fields["level"] = .string(event.level.rawValue)
        fields["logger"] = .string(label)
        fields["message"] = .string("\(event.message)")
        fields["source"] = .string(event.source)
        write(JSONValue.object(fields).description + "\n")
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.mapValues(json))
        }
    }
}
