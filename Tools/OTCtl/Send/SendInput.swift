import Foundation
import Kafka
import OTContract

/// What `otctl send` publishes, read and checked from its input: a whole structured CloudEvent, or (with `--type`)
/// a payload that is wrapped in a new event. The event is decoded through its topic's typed enum exactly as a
/// service would decode it, so that invalid input is refused with the contract's own error before it is sent.
struct SendInput {
    /// The topic.
    var topic: String
    /// The event to send.
    var event: CloudEvent
    /// Its typed payload.
    var payload: any EventPayload
    /// The Kafka key.
    ///
    /// - Important: On person-keyed topics the full national ID: print it masked.
    var key: String
    /// Whether otctl gave the event its correlation id (a command that came without one).
    var addedCorrelationID: Bool

    /// The CloudEvents `source` of events otctl creates.
    static let source = "urn:ot:otctl"

    /// Reads and checks the input.
    /// - Parameters:
    ///   - bytes: The JSON: a structured CloudEvent, or with `type` its payload.
    ///   - topic: The topic to send to.
    ///   - type: The event type of a payload to wrap; `nil` when `bytes` is a whole CloudEvent.
    ///   - key: The Kafka key; by default the payload's (its personId on person-keyed topics).
    ///   - correlationID: The correlation id; a new one for a command that has none.
    ///   - source: The `source` of a new event.
    ///   - now: The `time` of a new event.
    ///   - newID: Makes a new id (for the event and a correlation id).
    /// - Throws: ``OTCtlError`` saying what is wrong, with the contract's own error for an invalid event.
    static func parse(
        _ bytes: [UInt8], topic: String, type: String? = nil, key: String? = nil, correlationID: String? = nil,
        actor: CommandActor? = nil, source: String = SendInput.source, now: Date = Date(),
        newID: () -> String = { UUID().uuidString.lowercased() }
    ) throws -> SendInput {
        guard ContractTopics.names.contains(topic) else {
            throw OTCtlError(
                "otctl sends only to the contract's topics, not \(topic): \(ContractTopics.names.joined(separator: ", "))"
            )
        }
        let trimmed = Array(bytes.drop { Self.isSpace($0) }.reversed().drop { Self.isSpace($0) }.reversed())
        guard !trimmed.isEmpty else { throw OTCtlError("no input: give --file, or pipe the JSON to standard input") }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: trimmed)
        } catch {
            throw OTCtlError("invalid input: \(error)")
        }
        guard case .object(let members) = json else { throw OTCtlError("the input must be a JSON object") }

        var event: CloudEvent
        var added = false
        if let type {
            guard members["specversion"] == nil else {
                throw OTCtlError("the input is a whole CloudEvent (it has specversion): leave out --type")
            }
            let command = ContractTopics.commandTopics.contains(topic)
            added = command && correlationID == nil
            event = CloudEvent(
                id: newID(), source: source, type: type, time: now,
                correlationID: correlationID ?? (command ? newID() : nil), data: trimmed)
        } else {
            guard members["specversion"] != nil else {
                throw OTCtlError(
                    "the input is not a CloudEvent (it has no specversion): give --type to wrap a payload in a new event"
                )
            }
            do {
                event = try CloudEvent(structuredJSON: trimmed)
            } catch {
                throw OTCtlError("invalid CloudEvent: \(error)")
            }
            if let correlationID {
                event.correlationID = correlationID
            } else if event.correlationID == nil, ContractTopics.commandTopics.contains(topic) {
                event.correlationID = newID()
                added = true
            }
        }

        if let actor { event.extensions.merge(actor.extensions) { $1 } }

        let payload: any EventPayload
        do {
            guard let decoded = try ContractTopics.decode(event, on: topic) else {
                throw OTCtlError("otctl cannot decode events of \(topic)")
            }
            payload = decoded
        } catch let error as ContractError {
            throw OTCtlError("invalid \(event.type) for \(topic): \(error)")
        }
        let derived = ContractTopics.key(of: payload, in: event)
        if let key, let derived, key != derived, payload is any PersonKeyedPayload {
            throw OTCtlError(
                "--key must be the payload's personId on \(topic): a person's messages share one partition number")
        }
        guard let chosen = key ?? derived, !chosen.isEmpty else {
            throw OTCtlError("the key of \(event.type) on \(topic) does not come from its data: give --key")
        }
        return SendInput(topic: topic, event: event, payload: payload, key: chosen, addedCorrelationID: added)
    }

    /// The message to produce: structured mode, keyed.
    var message: KafkaProducerMessage {
        KafkaProducerMessage(
            topic: topic, key: Array(key.utf8), value: event.structuredJSON(),
            headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)])
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
