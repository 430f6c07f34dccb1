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
    ///
    /// Inlinable, so that it is specialized where it is called: for a payload type known there, whether it reads
    /// itself (``DirectJSONDecodable``) is answered by the compiler, and its reading runs without a lookup of
    /// generic metadata or a conformance at run time.
    /// - Parameter type: The payload type; its ``EventPayload/eventType`` must be this event's `type`.
    /// - Throws: ``ContractError/unexpectedEventType(expected:actual:)``, ``ContractError/missingAttribute(_:)``
    ///   for an event without data, ``ContractError/missingField(_:)`` or ``ContractError/invalidField(_:reason:)``
    ///   naming the field, or ``ContractError/malformedJSON(_:)``.
    @inlinable
    public func decodePayload<P: EventPayload>(as type: P.Type = P.self) throws(ContractError) -> P {
        guard self.type == P.eventType else { throw .unexpectedEventType(expected: P.eventType, actual: self.type) }
        // The busiest payloads read their members themselves; where one gives up, the decoders decide.
        if let direct = P.self as? any DirectJSONDecodable.Type, let payload = readData(as: direct, P.self) {
            try payload.validate()
            return payload
        }
        return try decodePayloadCoding(as: P.self)
    }

    /// The payload of type `D`, which is `P`, as it reads itself from ``data``; `nil` where it gives up or there is
    /// no data.
    @inlinable
    func readData<D: DirectJSONDecodable, P>(as type: D.Type, _ payloadType: P.Type) -> P? {
        var payload: P?
        withDataFields { fields in payload = D(fields: fields).map { reinterpret($0, as: P.self) } }
        return payload
    }

    /// Calls `body` with the members of the object ``data`` holds, read in place (as reading the envelope found
    /// them, when it did); not at all when there is no data or it holds no object. Not generic, so that the
    /// payload's own reading around it is specialized where ``decodePayload(as:)`` is called.
    @usableFromInline
    func withDataFields(_ body: (JSONObjectFields) -> Void) {
        guard let data = storedData.bytes else { return }
        _ = JSONObjectFields.reading(data, members: storedData.members) { fields -> Void? in body(fields) }
    }

    /// ``decodePayload(as:)`` through the payload's `init(from:)`: the light decoder where it can; Foundation's
    /// where it gives up, which also gives every error its path.
    @usableFromInline
    func decodePayloadCoding<P: EventPayload>(as type: P.Type) throws(ContractError) -> P {
        guard self.type == P.eventType else { throw .unexpectedEventType(expected: P.eventType, actual: self.type) }
        guard let data else { throw .missingAttribute("data") }
        if let payload = TreeJSONDecoder.decodeCoding(P.self, from: data) {
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
