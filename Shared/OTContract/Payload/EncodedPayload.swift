/// A payload checked against its rules and encoded once, as a CloudEvent's `data` holds it, so that a service that
/// keeps the JSON anyway (to compare with what it published last) emits it without encoding it again.
///
/// Made only from the payload itself, so the bytes are always the payload's (``ContractJSON``'s, keys sorted).
public struct EncodedPayload<Payload: EventPayload>: Sendable {
    /// The payload.
    public let payload: Payload
    /// Its JSON: the bytes ``CloudEvent/init(_:id:source:time:subject:correlationID:extensions:)`` would write.
    public let json: [UInt8]

    /// Checks `payload`'s ``EventPayload/validate()`` rules and encodes it.
    ///
    /// Inlinable, as ``ContractJSON/encode(_:)`` is: a service's payload is encoded by code specialized for it.
    /// - Throws: The payload's ``ContractError``, or ``ContractError/encodingFailed(_:)``.
    @inlinable
    public init(_ payload: Payload) throws(ContractError) {
        try payload.validate()
        do {
            json = try ContractJSON.encode(payload)
        } catch {
            throw .encodingFailed("\(Payload.eventType): \(error)")
        }
        self.payload = payload
    }
}
