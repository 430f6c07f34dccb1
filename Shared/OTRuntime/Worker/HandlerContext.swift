import Foundation
import GRDB
import Kafka
import OTContract

/// What a handler works with while it handles one event: the partition store's open transaction, the time, and
/// the means to emit events. Valid only during ``WorkerHandler/handle(_:context:)``.
public final class HandlerContext {
    /// The partition store's database, inside the batch's transaction.
    public let database: Database
    /// The partition number (of every input topic) this event belongs to.
    public let partition: Int32
    /// The time the batch is processed at.
    public let now: Date
    /// The event being handled.
    public let event: InboundEvent
    let outbox: OutboxWriter
    private(set) var rejections = 0

    init(database: Database, partition: Int32, now: Date, event: InboundEvent, outbox: OutboxWriter) {
        self.database = database
        self.partition = partition
        self.now = now
        self.event = event
        self.outbox = outbox
    }

    /// Emits an event to `topic`, keyed by `key`: it is written to the outbox in this transaction and
    /// published once the transaction commits.
    public func emit(_ cloudEvent: CloudEvent, to topic: Topic, key: String) throws {
        try outbox.append(cloudEvent, to: topic.name, key: key, in: database)
    }

    /// Emits a typed payload to its topic (``EventPayload/topic``), keyed by `key`, as an event this service
    /// caused: a new id, this service as source, the time of processing, and the correlation id of the event being
    /// handled carried on.
    ///
    /// - Returns: The event emitted.
    /// - Throws: The payload's ``ContractError`` when it breaks its rules.
    @discardableResult
    public func emit<Payload: EventPayload>(_ payload: Payload, key: String) throws -> CloudEvent {
        let cloudEvent = try CloudEvent(payload, source: outbox.source, time: now, causedBy: event.cloudEvent)
        try emit(cloudEvent, to: Payload.topic, key: key)
        return cloudEvent
    }

    /// Counts a command the handler rejected (for the `ot_commands_rejected_total` metric).
    public func countRejection() { rejections += 1 }
}
