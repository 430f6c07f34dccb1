import Logging
import OTContract

/// Another handler with national IDs masked (`010203*****`) in every message and metadata value it is given, the
/// logger's own metadata included: the safety net of both log formats (``LogSettings``: swift-log's text lines and
/// ``JSONLogHandler``). A call site that logs an error quoting input, or a key, cannot leak an ID.
public struct MaskingLogHandler<Wrapped: LogHandler>: LogHandler {
    /// The handler that writes.
    public private(set) var wrapped: Wrapped

    /// `wrapped`, its metadata masked from now on.
    public init(_ wrapped: Wrapped) {
        self.wrapped = wrapped
        self.wrapped.metadata = Self.masked(wrapped.metadata)
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = Self.masked(newValue) }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue.map(Self.masked) }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = "\(NationalID.maskingAll(in: "\(event.message)"))"
        event.metadata = event.metadata.map(Self.masked)
        wrapped.log(event: event)
    }

    private static func masked(_ metadata: Logger.Metadata) -> Logger.Metadata { metadata.mapValues(masked) }

    private static func masked(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(NationalID.maskingAll(in: text))
        case .stringConvertible(let convertible): .string(NationalID.maskingAll(in: convertible.description))
        case .array(let values): .array(values.map(masked))
        case .dictionary(let values): .dictionary(values.mapValues(masked))
        }
    }
}
