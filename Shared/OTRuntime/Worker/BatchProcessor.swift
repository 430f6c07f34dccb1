import Foundation
import GRDB
import Kafka
import Logging
import OTContract
import OTStore

/// Processes the messages of one partition number in one transaction of its store: for each message, decode,
/// de-duplicate by event id, run the handler, dead-letter what cannot be processed; then record the consumed
/// offsets. Everything commits together.
///
/// A handler that throws must leave nothing of its event behind, so the group first runs without a savepoint per
/// event, and only if a handler throws is it rolled back and run again with one around each event (retrying
/// transient failures, dead-lettering the rest). A savepoint costs little itself, but it keeps a copy of every page
/// its event changes, and the events that throw are few.
struct BatchProcessor: Sendable {
    let handler: any WorkerHandler
    let outbox: OutboxWriter
    let deadLetterTopic: String
    let retry: RetryPolicy
    let logger: Logger
    /// The input topics, and the end of each input partition as the consumer last heard it (`nil` when unknown):
    /// whether a tick's partition has caught up (``HandlerContext/inputCaughtUp``).
    let inputTopics: [String]
    let inputEnd: @Sendable (KafkaTopicPartition) -> Int64?

    /// What happened to the messages of one partition group.
    struct Outcome: Sendable {
        var processed = 0
        var duplicates = 0
        var deadLettered = 0
        var rejected = 0
        var offsets: [KafkaTopicPartitionOffset] = []
    }

    /// Processes `messages` (all of partition `store.partition`, in offset order per topic) and commits.
    ///
    /// - Throws: A store error when the transaction could not commit; nothing of the group is then recorded and
    ///   the caller retries the group.
    func process(_ messages: [KafkaConsumerMessage], in store: PartitionStore, now: Date) async throws -> Outcome {
        do {
            return try await process(messages, in: store, now: now, savepoints: false)
        } catch is HandlerThrewWithoutSavepoint {
            return try await process(messages, in: store, now: now, savepoints: true)
        }
    }

    /// A handler threw while the group ran without savepoints: the group's transaction is rolled back.
    private struct HandlerThrewWithoutSavepoint: Error {}

    private func process(
        _ messages: [KafkaConsumerMessage], in store: PartitionStore, now: Date, savepoints: Bool
    ) async throws -> Outcome {
        try await store.write { db in
            var outcome = Outcome()
            let batch = BatchState()
            let statements = try EventStatements(
                db, processedAt: Int64(now.timeIntervalSince1970), processedEvents: store.processedEvents)
            // What this group's ticks and batch-end work derive their ids from: the same input, the same ids.
            let groupCause = Self.cause(of: messages, partition: store.partition)
            // One context for the group's events, pointed at each in turn.
            let outputs = store.transaction
            let context = HandlerContext(
                database: db, partition: store.partition, now: now, event: nil, batch: batch, outbox: outbox,
                outputs: outputs, cause: groupCause)
            var nextOffsets = NextOffsets()
            for message in messages {
                try processOne(
                    message, context: context, statements: statements, savepoints: savepoints, outcome: &outcome)
                nextOffsets.consumed(message)
            }
            // Time-driven work after the group's events, which happened before the batch was processed.
            tick(
                partition: store.partition, now: now, db: db, outputs: outputs, batch: batch,
                cause: "tick\u{1F}" + groupCause,
                caughtUp: try caughtUp(store.partition, after: nextOffsets.offsets, db: db))
            try finish(
                partition: store.partition, now: now, db: db, outputs: outputs, batch: batch,
                cause: "batch\u{1F}" + groupCause)
            let statement = try DirectStatement(
                db,
                sql: """
                    INSERT INTO ot_offsets (topic, next_offset) VALUES (?, ?)
                    ON CONFLICT (topic) DO UPDATE SET next_offset = excluded.next_offset
                    """)
            outputs.offsets = nextOffsets.offsets
            for (topic, offset) in nextOffsets.offsets {
                try statement.bind(topic, at: 1)
                try statement.bind(offset, at: 2)
                try statement.execute()
                outcome.offsets.append(
                    KafkaTopicPartitionOffset(topic: topic, partition: store.partition, offset: offset))
            }
            return outcome
        }
    }

    private func processOne(
        _ message: KafkaConsumerMessage, context: HandlerContext, statements: EventStatements, savepoints: Bool,
        outcome: inout Outcome
    ) throws {
        // The decoded envelope goes straight into the event (kept apart, it was copied into it: a retain and a
        // release of each of its fields).
        let event: InboundEvent
        do {
            event = InboundEvent(cloudEvent: try Self.decode(message), message: message)
        } catch {
            deadLetter(message, reason: "\(error)", attempts: 1, outputs: context.outputs)
            outcome.deadLettered += 1
            return
        }
        guard try statements.firstSeen(event.cloudEvent) else {
            outcome.duplicates += 1
            return
        }
        // A dead-lettered event is forgotten again, so that it can be published anew once fixed and be processed
        // then (once).
        func deadLetterEvent(_ reason: String, attempts: Int) throws {
            try statements.forget(event.cloudEvent)
            self.deadLetter(message, reason: reason, attempts: attempts, outputs: context.outputs)
            outcome.deadLettered += 1
        }
        var attempt = 1
        while true {
            context.begin(event)
            do {
                if savepoints {
                    try inSavepoint(statements.savepoint, outputs: context.outputs) {
                        try handler.handle(event, context: context)
                    }
                } else {
                    try handler.handle(event, context: context)
                }
                outcome.rejected += context.rejections
                if let reason = context.deadLetterReason {
                    try deadLetterEvent(reason, attempts: attempt)
                } else {
                    outcome.processed += 1
                }
                return
            } catch let error where StoreError.mapping(error, path: "") != nil {
                throw error  // the store itself failed: the whole group is retried
            } catch  where !savepoints {
                throw HandlerThrewWithoutSavepoint()  // its changes cannot be undone alone: again, with savepoints
            } catch HandlerError.transient(let reason) {
                guard attempt < retry.maxAttempts else {
                    try deadLetterEvent("transient, attempts exhausted: \(reason)", attempts: attempt)
                    return
                }
                logger.warning(
                    "transient failure, retrying",
                    metadata: ["attempt": "\(attempt)", "reason": "\(reason)", "key": "\(maskKey(message.keyString))"])
                // The writer's own thread waits, not Swift's cooperative pool; the partition's batch waits with it.
                Thread.sleep(forTimeInterval: retry.delay(afterAttempt: attempt))
                attempt += 1
            } catch {
                try deadLetterEvent("\(error)", attempts: attempt)
                return
            }
        }
    }

    /// Runs the handler's time-driven work for a partition (see ``WorkerHandler/tick(context:)``) in a savepoint;
    /// a failure is logged and rolled back, and does not hold up the partition's events.
    func tick(
        partition: Int32, now: Date, db: Database, outputs: TransactionOutputs, batch: BatchState, cause: String,
        caughtUp: Bool
    ) {
        let context = HandlerContext(
            database: db, partition: partition, now: now, event: nil, batch: batch, outbox: outbox, outputs: outputs,
            cause: cause)
        context.inputCaughtUp = caughtUp
        do {
            try inSavepoint(SavepointStatements(db), outputs: outputs) { try handler.tick(context: context) }
        } catch {
            logger.error("time-driven work failed", metadata: ["partition": "\(partition)", "error": "\(error)"])
        }
    }

    /// The time-driven work of an idle partition: its tick and the end of its (empty) batch.
    func idleTick(partition: Int32, now: Date, db: Database, outputs: TransactionOutputs) throws {
        let batch = BatchState()
        let cause = "idle\u{1F}\(partition)\u{1F}\(Int64(now.timeIntervalSince1970 * 1000))"
        tick(
            partition: partition, now: now, db: db, outputs: outputs, batch: batch, cause: "tick\u{1F}" + cause,
            caughtUp: try caughtUp(partition, after: [:], db: db))
        try finish(
            partition: partition, now: now, db: db, outputs: outputs, batch: batch, cause: "batch\u{1F}" + cause)
    }

    /// Whether partition `partition` of every input topic has been consumed to the end the consumer last heard of,
    /// counting `offsets` (the next offsets after the group in hand) over those the store holds.
    private func caughtUp(_ partition: Int32, after offsets: [String: Int64], db: Database) throws -> Bool {
        let stored = offsets.count == inputTopics.count ? [:] : try PartitionStore.consumedOffsets(in: db)
        for topic in inputTopics {
            guard let end = inputEnd(KafkaTopicPartition(topic: topic, partition: partition)) else { return false }
            if (offsets[topic] ?? stored[topic] ?? 0) < end { return false }
        }
        return true
    }

    /// Runs the handler's ``WorkerHandler/finishBatch(context:)``; its error fails the partition's batch.
    private func finish(
        partition: Int32, now: Date, db: Database, outputs: TransactionOutputs, batch: BatchState, cause: String
    ) throws {
        let context = HandlerContext(
            database: db, partition: partition, now: now, event: nil, batch: batch, outbox: outbox, outputs: outputs,
            cause: cause)
        do {
            try handler.finishBatch(context: context)
        } catch let error where StoreError.mapping(error, path: "") != nil {
            throw error
        } catch {
            throw BatchEndFailure(partition: partition, error: error)
        }
    }

    /// A partition group's input as text: the partition and each topic's first and last offset.
    private static func cause(of messages: [KafkaConsumerMessage], partition: Int32) -> String {
        // Each topic's first and last offset, whatever the order its messages are interleaved with the others' in.
        var ranges: [(topic: String, first: Int64, last: Int64)] = []
        var current = -1
        for message in messages {
            if current < 0 || ranges[current].topic != message.topic {
                if let known = ranges.firstIndex(where: { $0.topic == message.topic }) {
                    current = known
                } else {
                    ranges.append((message.topic, message.offset, message.offset))
                    current = ranges.count - 1
                }
            }
            ranges[current].first = min(ranges[current].first, message.offset)
            ranges[current].last = max(ranges[current].last, message.offset)
        }
        var cause = "\(partition)"
        for range in ranges.sorted(by: { $0.topic < $1.topic }) {
            cause += "\u{1F}\(range.topic)@\(range.first)-\(range.last)"
        }
        return cause
    }

    /// Decodes the CloudEvent of a message: structured mode straight from the value when the content type says
    /// so (what this system writes), else through the general decoder that also reads binary mode.
    static func decode(_ message: KafkaConsumerMessage) throws(ContractError) -> CloudEvent {
        if case .some(.some(let contentType)) = message.header("content-type"), isStructured(contentType),
            let value = message.value
        {
            return try CloudEvent(structuredJSON: value)
        }
        return try CloudEvent.decode(value: message.value, headers: message.headers.map { ($0.name, $0.value) })
    }

    private static let structuredContentType = Array(CloudEvent.structuredContentType.utf8)

    /// Whether a `content-type` header is the structured mode's; `memcmp`, where `elementsEqual` took about 640
    /// instructions for every message.
    private static func isStructured(_ contentType: ArraySlice<UInt8>) -> Bool {
        contentType.count == structuredContentType.count
            && contentType.withUnsafeBytes { header in
                structuredContentType.withUnsafeBytes { expected in
                    memcmp(header.baseAddress!, expected.baseAddress!, expected.count) == 0
                }
            }
    }

    /// Runs `body` in a savepoint that is rolled back if it throws, with the messages it emitted.
    private func inSavepoint(
        _ statements: SavepointStatements, outputs: TransactionOutputs, _ body: () throws -> Void
    ) throws {
        try statements.begin.execute()
        let emitted = outputs.messages.count
        do {
            try body()
        } catch {
            outputs.messages.removeSubrange(emitted...)
            try statements.rollback.execute()
            ChangeNotes.savepointRolledBack()
            try statements.release.execute()
            throw error
        }
        try statements.release.execute()
    }

    /// Writes the message, key and value unchanged, to the dead-letter topic through the outbox, in the same
    /// partition number, with headers naming where it came from and why it failed.
    private func deadLetter(
        _ message: KafkaConsumerMessage, reason: String, attempts: Int, outputs: TransactionOutputs
    ) {
        logger.error(
            "dead-lettering a message",
            metadata: [
                "topic": "\(message.topic)", "partition": "\(message.partition)", "offset": "\(message.offset)",
                "key": "\(maskKey(message.keyString))", "reason": "\(maskNationalIDs(in: reason))",
            ])
        let headers =
            message.headers + [
                KafkaHeader(name: DeadLetterHeader.sourceTopic, string: message.topic),
                KafkaHeader(name: DeadLetterHeader.sourcePartition, string: "\(message.partition)"),
                KafkaHeader(name: DeadLetterHeader.sourceOffset, string: "\(message.offset)"),
                KafkaHeader(name: DeadLetterHeader.error, string: maskNationalIDs(in: reason)),
                KafkaHeader(name: DeadLetterHeader.attempts, string: "\(attempts)"),
            ]
        outbox.appendRaw(
            outboxID: CloudEvent.derivedID(
                from: "dead-letter\u{1F}\(message.topic)\u{1F}\(message.partition)\u{1F}\(message.offset)"),
            topic: deadLetterTopic, partition: message.partition,
            key: message.key.map(Array.init), value: message.value.map(Array.init), headers: headers, in: outputs)
    }
}

/// The statements the runtime runs for every event, prepared (or taken from the connection's cache) once per
/// partition group and run directly through SQLite (see `DirectStatement`): their GRDB bookkeeping cost more than
/// SQLite's own work. The store has no GRDB observers for that bookkeeping to serve.
private struct EventStatements {
    /// De-duplication by (`source`, `id`), looked up in memory.
    let processedEvents: ProcessedEventIndex
    let db: Database
    /// The savepoint around the handler.
    let savepoint: SavepointStatements
    /// The processing time recorded with each event id.
    let processedAt: Int64

    init(_ db: Database, processedAt: Int64, processedEvents: ProcessedEventIndex) throws {
        self.processedEvents = processedEvents
        self.db = db
        savepoint = try SavepointStatements(db)
        self.processedAt = processedAt
    }

    /// Records `event` as processed; `false` when it was already.
    func firstSeen(_ event: CloudEvent) throws -> Bool {
        try processedEvents.firstSeen(source: event.source, id: event.id, processedAt: processedAt, db: db)
    }

    /// Forgets that `event` was processed.
    func forget(_ event: CloudEvent) throws {
        try processedEvents.forget(source: event.source, id: event.id, db: db)
    }
}

/// `SAVEPOINT`, `ROLLBACK TO` and `RELEASE` of the savepoint a handler runs in, as direct statements.
private struct SavepointStatements {
    let begin: DirectStatement
    let rollback: DirectStatement
    let release: DirectStatement

    init(_ db: Database) throws {
        begin = try DirectStatement(db, sql: "SAVEPOINT ot_event")
        rollback = try DirectStatement(db, sql: "ROLLBACK TO SAVEPOINT ot_event")
        release = try DirectStatement(db, sql: "RELEASE SAVEPOINT ot_event")
    }
}

/// The next offset of each topic in a partition group, kept without hashing the topic of every message (a group's
/// messages come topic by topic).
private struct NextOffsets {
    private var earlier: [String: Int64] = [:]
    private var topic: String?
    private var next: Int64 = 0

    /// The next offset of each topic.
    var offsets: [String: Int64] {
        var offsets = earlier
        if let topic { offsets[topic] = next }
        return offsets
    }

    mutating func consumed(_ message: KafkaConsumerMessage) {
        if message.topic != topic {
            if let topic { earlier[topic] = next }
            topic = message.topic
            next = earlier[message.topic] ?? 0
        }
        next = max(next, message.offset + 1)
    }
}

/// The handler's ``WorkerHandler/finishBatch(context:)`` failed with an error that is not the store's: retrying the
/// same batch is likely to fail the same way.
struct BatchEndFailure: Error, CustomStringConvertible {
    let partition: Int32
    let error: any Error

    var description: String { "finishing the batch of partition \(partition) failed: \(error)" }
}

/// How transient handler failures are retried.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included, before the event is dead-lettered.
    public var maxAttempts: Int = 3
    /// The wait after the first failed attempt; it doubles after each.
    public var initialDelay: Duration = .milliseconds(50)

    /// Creates a policy.
    public init(maxAttempts: Int = 3, initialDelay: Duration = .milliseconds(50)) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
    }

    func delay(afterAttempt attempt: Int) -> TimeInterval {
        initialDelay / .seconds(1) * pow(2, Double(attempt - 1))
    }
}
