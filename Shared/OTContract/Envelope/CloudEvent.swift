import Foundation

/// A CloudEvents 1.0 event: the envelope of every message on the system's topics.
///
/// On Kafka an event travels in structured JSON mode (``structuredJSON()``, with the header
/// `content-type: application/cloudevents+json`); ``decode(value:headers:)`` also reads binary mode (`ce_*`
/// headers, the data as the message value). The payload stays as raw JSON bytes in ``data`` until it is decoded into
/// a typed ``EventPayload`` with ``decodePayload(as:)`` or a topic's ``TopicEvent`` enum.
///
/// ```swift
/// let event = try CloudEvent(payload, source: ServiceName.registrations.eventSource, causedBy: command)
/// producer.send(topic: P.topic.name, key: payload.partitionKey, value: event.structuredJSON(),
///               headers: CloudEvent.structuredHeaders)
/// ```
public struct CloudEvent: Sendable, Equatable {
    /// The only CloudEvents version this contract speaks: `1.0`.
    public static let specVersion = "1.0"
    /// The media type of a structured-mode event: `application/cloudevents+json`.
    public static let structuredContentType = "application/cloudevents+json"
    /// The media type of every payload: `application/json`.
    public static let jsonContentType = "application/json"
    /// The Kafka headers of a structured-mode message: `content-type: application/cloudevents+json`.
    public static let structuredHeaders: [(name: String, value: [UInt8]?)] = [
        (name: "content-type", value: Array(structuredContentType.utf8))
    ]

    /// The attribute names of the CloudEvents spec and this contract; an extension must not reuse one.
    static let reservedAttributes: Set<String> = [
        "specversion", "id", "source", "type", "time", "datacontenttype", "subject", "correlationid", "data",
        "data_base64",
    ]

    /// `id`: unique per event from one source; consumers de-duplicate by it.
    public var id: String
    /// `source`: a URI reference naming the producer, such as `urn:ot:ot-registrations`.
    public var source: String
    /// `type`: what happened or what is asked for, such as `no.vigo.person.updated`.
    public var type: String
    /// `datacontenttype`: the media type of ``data``; `application/json` throughout this contract.
    public var dataContentType: String
    /// `subject`: what the event is about within the source, when given.
    ///
    /// - Important: Never put a national ID here; the subject may be logged.
    public var subject: String?
    /// `correlationid` (extension): ties a command to its reply and to the events it caused.
    public var correlationID: String?
    /// Every other attribute (unknown extensions, `dataschema`), kept as it came so that it travels on.
    public var extensions: [String: JSONValue]
    /// `data`: the payload as raw JSON bytes, or `nil` for an event without data.
    public var data: [UInt8]? {
        get { storedData.bytes }
        set { storedData = CloudEventData(newValue) }
    }
    /// `data`, with its object's members when reading the envelope found them.
    private(set) var storedData: CloudEventData
    private var timestamp: Timestamp

    /// `specversion`: always ``specVersion``.
    public var specversion: String { Self.specVersion }

    /// `time`: when the occurrence happened, kept to the millisecond (see ``Timestamp``).
    public var time: Date {
        get { timestamp.date }
        set { timestamp = Timestamp(newValue) }
    }

    /// `time` as a contract ``Timestamp``.
    public var timeStamp: Timestamp {
        get { timestamp }
        set { timestamp = newValue }
    }

    /// Creates an event from its attributes and raw JSON data.
    /// - Parameters:
    ///   - id: A unique id; a fresh UUID by default.
    ///   - source: A URI reference naming the producer.
    ///   - type: The event type.
    ///   - time: When it happened; now by default. Kept to the millisecond.
    ///   - dataContentType: The media type of `data`.
    ///   - subject: What the event is about, if anything; never a national ID.
    ///   - correlationID: The correlation id, for commands, replies and what commands cause.
    ///   - extensions: Other attributes to carry. Names the spec reserves are ignored when writing.
    ///   - data: The payload as JSON bytes; it must be well-formed JSON.
    public init(
        id: String = CloudEvent.newID(),
        source: String,
        type: String,
        time: Date = Date(),
        dataContentType: String = CloudEvent.jsonContentType,
        subject: String? = nil,
        correlationID: String? = nil,
        extensions: [String: JSONValue] = [:],
        data: [UInt8]?
    ) {
        self.init(
            id: id, source: source, type: type, timeStamp: Timestamp(time), dataContentType: dataContentType,
            subject: subject, correlationID: correlationID, extensions: extensions, data: CloudEventData(data))
    }

    /// Creates an event from its attributes, the time as a contract ``Timestamp`` (no clock read, no conversion).
    init(
        id: String, source: String, type: String, timeStamp: Timestamp, dataContentType: String, subject: String?,
        correlationID: String?, extensions: [String: JSONValue], data: CloudEventData
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.timestamp = timeStamp
        self.dataContentType = dataContentType
        self.subject = subject
        self.correlationID = correlationID
        self.extensions = extensions
        self.storedData = data
    }
}
