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
    /// The event being handled; `nil` in ``WorkerHandler/tick(context:)`` and
    /// ``WorkerHandler/finishBatch(context:)``.
    public private(set) var event: InboundEvent?
    /// What the handler gathers across the events of this partition's batch (in this transaction) to act on once
    /// in ``WorkerHandler/finishBatch(context:)``: changes to publish coalesced, say.
    public let batch: BatchState
    /// In ``WorkerHandler/tick(context:)``: whether the partition has consumed every message of its input topics
    /// that the broker reported at the last fetch. While it is catching up (after downtime, a restore, a burst),
    /// time-driven rules that would act ahead of the events still waiting can wait for it: then they act on the
    /// same events, in the same order relative to their dates, as when running live. Always `true` outside ticks.
    public internal(set) var inputCaughtUp = true
    let outbox: OutboxWriter
    /// Where emitted messages go: the transaction's outputs.
    let outputs: TransactionOutputs
    private(set) var rejections = 0
    private(set) var deadLetterReason: String?
    /// What the work in hand stems from (the input event's source and id, or the batch or tick), followed by the
    /// separator, hashed for the ids derived from it (`<cause>` U+001F `<n>`): an event's when first asked for, as
    /// many events derive none.
    private var causeHash: CloudEvent.DerivedIDHasher {
        if let hashedCause { return hashedCause }
        var hasher = CloudEvent.DerivedIDHasher()
        if let knownCause {
            hasher.combine(knownCause)
        } else if let source = event?.cloudEvent.source, let id = event?.cloudEvent.id {
            // The two texts, not the event: `if let event` copied all its fields.
            hasher.combine(source)
            hasher.combine(byte: 0x1F)
            hasher.combine(id)
        }
        hasher.combine(byte: 0x1F)
        hashedCause = hasher
        return hasher
    }
    /// The cause given (a batch's or a tick's); `nil` for an event's.
    private var knownCause: String?
    /// ``causeHash``, once made.
    private var hashedCause: CloudEvent.DerivedIDHasher?
    /// How many ids were derived from ``cause`` so far.
    private var derived = 0

    init(
        database: Database, partition: Int32, now: Date, event: InboundEvent?, batch: BatchState, outbox: OutboxWriter,
        outputs: TransactionOutputs, cause: String
    ) {
        self.database = database
        self.partition = partition
        self.now = now
        self.event = event
        self.batch = batch
        self.outbox = outbox
        self.outputs = outputs
        self.knownCause = cause
    }

    /// Points the context at the next event (or the next attempt at one): the runtime uses one context for the
    /// events of a partition group rather than allocating one per event.
    func begin(_ event: InboundEvent) {
        self.event = event
        rejections = 0
        deadLetterReason = nil
        knownCause = nil
        hashedCause = nil
        derived = 0
    }

    /// A new id for something the work in hand creates (an emitted event, a registration): derived from what
    /// caused the work and the id's position among those it derived, so that processing the same input again (a
    /// retry, a replay, a restore on another instance) gives the same ids.
    public func newID() -> String {
        derived += 1
        var hasher = causeHash
        hasher.combine(decimal: derived)
        return hasher.id
    }

    /// Emits an event to `topic`, keyed by `key`: it goes with this transaction (dropped if it rolls back) and is
    /// published once the transaction commits.
    public func emit(_ cloudEvent: CloudEvent, to topic: Topic, key: String) throws {
        outbox.append(cloudEvent, to: topic.name, key: key, in: outputs)
    }

    /// Emits a typed payload to its topic (``EventPayload/topic``), keyed by `key`, as an event this service
    /// caused: an id from ``newID()``, this service as source, the time of processing, and the correlation id of the
    /// event being handled carried on.
    ///
    /// Inlinable, as what it calls in `OTContract` is: the payload is checked and encoded by code specialized for it
    /// where the handler calls this, without a lookup of generic metadata at run time.
    /// - Returns: The event emitted.
    /// - Throws: The payload's ``ContractError`` when it breaks its rules.
    @inlinable @discardableResult
    public func emit<Payload: EventPayload>(_ payload: Payload, key: String) throws -> CloudEvent {
        try emit(try EncodedPayload(payload), key: key)
    }

    /// Emits a payload checked and encoded before (``EncodedPayload``), as ``emit(_:key:)-(Payload,_)`` does.
    ///
    /// - Returns: The event emitted.
    @inlinable @discardableResult
    public func emit<Payload: EventPayload>(_ encoded: EncodedPayload<Payload>, key: String) throws -> CloudEvent {
        try emit(json: encoded.json, type: Payload.eventType, to: Payload.topic, key: key)
    }

    /// Emits the JSON of a payload of `type` to `topic` as an event this service caused: what the generic
    /// ``emit(_:key:)-(EncodedPayload<Payload>,_)`` does once the payload's type is no longer needed.
    @usableFromInline
    func emit(json: [UInt8], type: String, to topic: Topic, key: String) throws -> CloudEvent {
        let id = newID()
        // The cause's correlation id carried on, or its id when it has none, as CloudEvent(_:causedBy:) does.
        let correlationID = event?.cloudEvent.correlationID ?? event?.cloudEvent.id
        let cloudEvent = CloudEvent(
            id: id, source: outbox.source, type: type, time: now, correlationID: correlationID, data: json)
        try emit(cloudEvent, to: topic, key: key)
        return cloudEvent
    }

    /// Marks this transaction as one that erases personal data: once it and what it emitted are published (the
    /// erased rows are zeroed: stores run with `secure_delete`), the runtime checkpoints the store's write-ahead log
    /// and truncates it, so that no earlier page with the erased rows is left in any of the store's files. Durable:
    /// a crash before that only delays it (a store left in use is restored, and a restore truncates its log too).
    public func scrubAfterPublishing() throws {
        try database.execute(sql: "UPDATE ot_store_meta SET scrub_requested = 1")
        outputs.scrub = true
    }

    /// Counts a command the handler rejected (for the `ot_commands_rejected_total` metric).
    public func countRejection() { rejections += 1 }

    /// Sends the event being handled to the dead-letter topic with `reason`, while keeping what the handler did
    /// (for a command that cannot be decoded: the handler still answers REJECTED, and operators see the input).
    public func deadLetter(reason: String) { deadLetterReason = reason }
}
