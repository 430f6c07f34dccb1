import Kafka
import OTContract

/// A message of a dead-letter topic (`<service>.dlq.v1`), read: where the worker runtime consumed it, why it could
/// not be processed, and the original message (key, value and headers) as it was on its source topic.
///
/// The runtime writes the original headers, then the ``OTContract/DeadLetterHeader``s, then the relay's
/// `ot-outbox-id`; the original headers are those before the first `ot-dlq-` header. Should a dead letter carry
/// the dead-letter headers twice (a message dead-lettered, published again with them, and dead-lettered again), the
/// last of each name is the latest.
struct DeadLetter: Sendable {
    /// Where it is on the dead-letter topic.
    var position: DeadLetterPosition
    /// When it was dead-lettered (the message's timestamp, milliseconds since the epoch), when it has one.
    var timestamp: Int64?
    /// The topic it was consumed from (`ot-dlq-source-topic`).
    var sourceTopic: String?
    /// Its partition there (`ot-dlq-source-partition`).
    var sourcePartition: Int32?
    /// Its offset there (`ot-dlq-source-offset`).
    var sourceOffset: Int64?
    /// Why it could not be processed (`ot-dlq-error`; national IDs already masked by the runtime).
    var error: String?
    /// How many times processing was tried (`ot-dlq-attempts`).
    var attempts: Int?
    /// The original key.
    var key: [UInt8]?
    /// The original value.
    var value: [UInt8]?
    /// The original headers, without the dead-letter headers and what was added after them.
    var originalHeaders: [KafkaHeader]
    /// The CloudEvent's type and id, when the value is a CloudEvent.
    var event: (type: String, id: String)?

    /// Reads a dead letter from its parts.
    init(
        position: DeadLetterPosition, timestamp: Int64?, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader]
    ) {
        self.position = position
        self.timestamp = timestamp
        self.key = key
        self.value = value
        let added = headers.firstIndex { $0.name.hasPrefix(DeadLetterHeader.prefix) } ?? headers.endIndex
        originalHeaders = Array(headers[..<added])
        func last(_ name: String) -> String? { headers.last { $0.name == name }?.stringValue }
        sourceTopic = last(DeadLetterHeader.sourceTopic)
        sourcePartition = last(DeadLetterHeader.sourcePartition).flatMap { Int32($0) }
        sourceOffset = last(DeadLetterHeader.sourceOffset).flatMap { Int64($0) }
        error = last(DeadLetterHeader.error)
        attempts = last(DeadLetterHeader.attempts).flatMap { Int($0) }
        if let value,
            let cloudEvent = try? CloudEvent.decode(value: value, headers: originalHeaders.map { ($0.name, $0.value) })
        {
            event = (cloudEvent.type, cloudEvent.id)
        }
    }

    /// Reads a consumed dead letter.
    init(_ message: KafkaConsumerMessage) {
        self.init(
            position: DeadLetterPosition(partition: message.partition, offset: message.offset),
            timestamp: message.timestamp, key: message.key.map(Array.init), value: message.value.map(Array.init),
            headers: message.headers)
    }

    /// Where it came from, `topic pP@N`, or what is missing.
    var source: String {
        guard let sourceTopic else { return "no source (not written by the worker runtime)" }
        return "\(sourceTopic) p\(sourcePartition.map(String.init) ?? "?")@\(sourceOffset.map(String.init) ?? "?")"
    }

    /// One line for a terminal, every national ID masked:
    ///
    /// `3@17  2026-12-02T10:15:04.120Z  from vigo.enrollment.v1 p3@1234  no.vigo.person.updated 9948d949-…
    /// key 018208*****  attempts 1  invalid field data.personId: …`
    var line: String {
        let time = timestamp.map { Timestamp(millisecondsSince1970: $0).rfc3339 } ?? "-"
        let what = event.map { "\($0.type) \($0.id)" } ?? (value == nil ? "(no value)" : "(not a CloudEvent)")
        let keyText = key.map { String(decoding: $0, as: UTF8.self) } ?? "-"
        let attemptsText = attempts.map(String.init) ?? "?"
        return Masking.maskNationalIDs(
            in: "\(position)  \(time)  from \(source)  \(what)  key \(keyText)  attempts \(attemptsText)  "
                + (error ?? "(no error header)"))
    }

    /// The original message, for its source topic's partition: key, value and original headers unchanged.
    /// - Throws: ``OTCtlError`` when the dead letter does not say where it came from.
    func replayMessage() throws -> KafkaProducerMessage {
        guard let sourceTopic, let sourcePartition else {
            throw OTCtlError(
                "\(position) names no source topic and partition (\(DeadLetterHeader.sourceTopic), "
                    + "\(DeadLetterHeader.sourcePartition)): not a dead letter of the worker runtime")
        }
        return KafkaProducerMessage(
            topic: sourceTopic, key: key, value: value, headers: originalHeaders, partition: sourcePartition)
    }
}
