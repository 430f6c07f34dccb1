import Foundation

extension CloudEvent {
    /// Creates an event carrying a typed payload, after checking the payload's ``EventPayload/validate()`` rules.
    ///
    /// The payload's JSON has its keys sorted, so that the same payload always gives the same bytes (Foundation's
    /// encoder otherwise orders keys differently in every process): simulations and tests can be replayed byte for
    /// byte (``ContractJSON``).
    /// - Parameters:
    ///   - payload: The payload; its ``EventPayload/eventType`` becomes the `type`.
    ///   - id: A unique id; a fresh UUID by default.
    ///   - source: A URI reference naming the producer, such as ``ServiceName/eventSource``.
    ///   - time: When it happened; now by default.
    ///   - subject: What the event is about, if anything; never a national ID.
    ///   - correlationID: The correlation id (commands carry one; replies and caused events carry it on).
    ///   - extensions: Other attributes to carry.
    /// - Throws: The ``ContractError`` of a payload that breaks its rules, or ``ContractError/encodingFailed(_:)``.
    public init<P: EventPayload>(
        _ payload: P,
        id: String = CloudEvent.newID(),
        source: String,
        time: Date = Date(),
        subject: String? = nil,
        correlationID: String? = nil,
        extensions: [String: JSONValue] = [:]
    ) throws(ContractError) {
        self.init(
            try EncodedPayload(payload), id: id, source: source, time: time, subject: subject,
            correlationID: correlationID, extensions: extensions)
    }

    /// Creates an event carrying a payload checked and encoded before (``EncodedPayload``); its JSON becomes the
    /// `data` as it is.
    /// - Parameters: As ``init(_:id:source:time:subject:correlationID:extensions:)``.
    public init<P: EventPayload>(
        _ encoded: EncodedPayload<P>,
        id: String = CloudEvent.newID(),
        source: String,
        time: Date = Date(),
        subject: String? = nil,
        correlationID: String? = nil,
        extensions: [String: JSONValue] = [:]
    ) {
        self.init(
            id: id, source: source, type: P.eventType, time: time, subject: subject, correlationID: correlationID,
            extensions: extensions, data: encoded.json)
    }

    /// Creates an event that a command (or another event) caused: it carries the cause's correlation id on, or the
    /// cause's id when the cause has none.
    /// - Parameters:
    ///   - payload: The payload.
    ///   - id: A unique id; a fresh UUID by default.
    ///   - source: A URI reference naming the producer.
    ///   - time: When it happened; now by default.
    ///   - cause: The command or event that caused this one.
    /// - Throws: As ``init(_:id:source:time:subject:correlationID:extensions:)``.
    public init<P: EventPayload>(
        _ payload: P,
        id: String = CloudEvent.newID(),
        source: String,
        time: Date = Date(),
        causedBy cause: CloudEvent
    ) throws(ContractError) {
        self.init(try EncodedPayload(payload), id: id, source: source, time: time, causedBy: cause)
    }

    /// Creates an event that a command (or another event) caused, from a payload checked and encoded before.
    /// - Parameters: As ``init(_:id:source:time:causedBy:)-(P,_,_,_,_)``.
    public init<P: EventPayload>(
        _ encoded: EncodedPayload<P>,
        id: String = CloudEvent.newID(),
        source: String,
        time: Date = Date(),
        causedBy cause: CloudEvent
    ) {
        self.init(encoded, id: id, source: source, time: time, correlationID: cause.correlationID ?? cause.id)
    }

    /// Decodes ``data`` into a typed payload and checks its rules.
    ///
    /// Every field is checked for presence, JSON type and format (dates, codes, national IDs); an error names the
    /// field by its path from `data`, such as `data.choices[0].schoolOrgNumber`. Unknown fields are ignored, so that
    /// producers can add fields without breaking consumers.
    /// - Parameter type: The payload type; its ``EventPayload/eventType`` must be this event's `type`.
    /// - Throws: ``ContractError/unexpectedEventType(expected:actual:)``, ``ContractError/missingAttribute(_:)``
    ///   for an event without data, ``ContractError/missingField(_:)`` or ``ContractError/invalidField(_:reason:)``
    ///   naming the field, or ``ContractError/malformedJSON(_:)``.
    public func decodePayload<P: EventPayload>(as type: P.Type = P.self) throws(ContractError) -> P {
        guard self.type == P.eventType else { throw .unexpectedEventType(expected: P.eventType, actual: self.type) }
        guard let data else { throw .missingAttribute("data") }
        // The light decoder where it can; Foundation's where it gives up, which also gives every error its path.
        if let payload = TreeJSONDecoder.decode(P.self, from: data, members: storedData.members) {
            try payload.validate()
            return payload
        }
        let payload: P
        do {
            payload = try JSONDecoder().decode(P.self, from: Data(data))
        } catch let error as DecodingError {
            throw ContractError(error, root: "data")
        } catch let error as ContractError {
            throw error
        } catch {
            throw .malformedJSON("data: \(error)")
        }
        try payload.validate()
        return payload
    }

    /// ``data`` parsed without a schema, for a look at an event whose typed decoding failed (to find the request id
    /// of an invalid request, say).
    /// - Throws: ``ContractError/missingAttribute(_:)`` for an event without data, or
    ///   ``ContractError/malformedJSON(_:)``.
    public func dataJSON() throws(ContractError) -> JSONValue {
        guard let data else { throw .missingAttribute("data") }
        return try JSONValue(parsing: data)
    }
}
