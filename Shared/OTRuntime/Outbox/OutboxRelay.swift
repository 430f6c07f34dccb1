import Foundation
import GRDB
import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// Publishes each partition store's changes to its changelog partition and then its emitted messages to the output
/// topics, in order, with the idempotent producer.
///
/// What a store's transactions commit waits in memory (``Unpublished``: the changed rows' records, read at the end
/// of each transaction, and the emitted messages). One round of a store:
/// 1. takes everything waiting and gives each new message its place in the outbox (a sequence number);
/// 2. publishes to the changelog partition of the store's number the tombstones of the chunks whose messages are all
///    delivered, the changed rows, the new messages in chunks (``OutboxChunk``), then a round marker;
///    every record names the file that published it (`ot-store`);
/// 3. only once the changelog has them, sends the messages to their topics;
/// 4. records the marker's offset and, per topic partition, the highest offset delivered.
///
/// So whatever reached an output topic is in the changelog first, together with the state and consumed offsets that
/// caused it: a store restored from the changelog never emits it again, and a message not yet delivered is in the
/// restored outbox, where ``OutboxRecovery`` tells whether it went out, and the new owner sends it if not.
///
/// Each store drains on its own: a wake-up starts a drain task for every ready store that has none, and one that is
/// draining goes round again when it is done, so a batch committed to one store never waits for another store's
/// round (its broker round trips). Everything done for one store is sequential (at most one drain task per store),
/// so no message is ever sent by two senders of one worker.
final class OutboxRelay: Sendable {
    private let stores: PartitionStores
    private let producer: KafkaProducer
    private let changelogTopic: String
    private let metrics: WorkerMetrics
    private let logger: Logger
    private let onPublished: @Sendable (_ partition: Int32, _ offsets: [String: Int64]) -> Void
    private let onScrubbed: (@Sendable (_ partition: Int32) -> Void)?
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation
    /// Per store, its drain task, and whether it must go round again (woken while it drained).
    private let draining = Mutex<[Int32: (task: Task<Void, Never>, again: Bool)]>([:])
    private let fatal = Mutex<KafkaError?>(nil)
    private let executor = RelayExecutor(name: "ot-relay")

    /// The header carrying an outgoing message's outbox id, for ``OutboxRecovery``.
    static let outboxIDHeader = "ot-outbox-id"
    /// The header naming the store file that published a changelog round (on its marker).
    static let storeHeader = "ot-store"

    init(
        stores: PartitionStores, producer: KafkaProducer, changelogTopic: String, metrics: WorkerMetrics,
        logger: Logger,
        onPublished: @escaping @Sendable (_ partition: Int32, _ offsets: [String: Int64]) -> Void,
        onScrubbed: (@Sendable (_ partition: Int32) -> Void)? = nil
    ) {
        self.stores = stores
        self.producer = producer
        self.changelogTopic = changelogTopic
        self.metrics = metrics
        self.logger = logger
        self.onPublished = onPublished
        self.onScrubbed = onScrubbed
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the relay to look at the outboxes (after a batch commits).
    func notify() { wakeUp.yield() }

    /// The most unpublished records and messages the ready stores may hold together before the worker waits for
    /// the relay (``waitForRoom()``): about 100–300 MiB.
    static let backlogLimit = 400_000

    /// Waits while the ready stores hold more than ``backlogLimit`` unpublished records and messages (the broker is
    /// slow or out of reach): they live in memory until published, so the input waits instead, and a member that
    /// waits past `max.poll.interval.ms` loses its partitions (their stores are restored when it gets them back).
    func waitForRoom() async {
        while backlog() > Self.backlogLimit && !Task.isCancelled && !Task.isShuttingDownGracefully {
            notify()
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The unpublished records and the undelivered messages of the ready stores.
    private func backlog() -> Int {
        stores.ready.reduce(0) { total, partition in
            guard let store = stores.store(partition) else { return total }
            return total + store.unpublished.withLock { $0.records.count + $0.messages.count }
                + store.relay.withLock { $0.recorded.count }
        }
    }

    /// The producer's fatal error, once it has one: nothing can be published any more.
    var fatalError: KafkaError? { fatal.withLock { $0 } }

    /// Publishes what partition `partition`'s store holds and waits until it is all out (or publishing failed), so
    /// that the partition can be released to another instance.
    func release(_ partition: Int32) async {
        // Wait for the drain in progress, then drain once more as the store's drain task, so that no other drain of
        // it runs beside this one.
        while true {
            let (running, mine) = draining.withLock { draining -> (Task<Void, Never>?, Task<Void, Never>?) in
                if let entry = draining[partition] { return (entry.task, nil) }
                let task = Task(executorPreference: executor) { await self.drainLoop(partition, releasing: true) }
                draining[partition] = (task, false)
                return (nil, task)
            }
            if let mine {
                await mine.value
                return
            }
            await running?.value
        }
    }

    /// Runs until ``finish()``; then lets every drain end, publishes what is left and returns.
    func run() async {
        await withTaskExecutorPreference(executor) { await serveWakeUps() }
        executor.stop()  // a release after this (none is expected) runs on the global executor
    }

    private func serveWakeUps() async {
        for await _ in wakeUps {
            startDrains()
        }
        for task in draining.withLock({ $0.values.map(\.task) }) { await task.value }
        await withTaskGroup(of: Void.self) { group in
            for partition in stores.ready {
                group.addTask { await self.release(partition) }
            }
        }
    }

    deinit { executor.stop() }

    /// Ends ``run()`` after one last drain of every store.
    func finish() { wakeUp.finish() }

    /// Starts a drain of every ready store that is not draining; one that is goes round again after.
    private func startDrains() {
        for partition in stores.ready {
            draining.withLock { draining in
                if draining[partition] != nil {
                    draining[partition]!.again = true
                } else {
                    let task = Task(executorPreference: executor) { await self.drainLoop(partition) }
                    draining[partition] = (task, false)
                }
            }
        }
    }

    /// A store's drain task: drains, and again while it was woken meanwhile; then leaves the store to the next
    /// wake-up.
    private func drainLoop(_ partition: Int32, releasing: Bool = false) async {
        while true {
            await drain(partition, releasing: releasing)
            let again = draining.withLock { draining -> Bool in
                if draining[partition]?.again == true {
                    draining[partition]!.again = false
                    return true
                }
                draining[partition] = nil
                return false
            }
            if !again { return }
        }
    }

    /// Publishes one store until nothing is left or publishing fails; a store being released is then marked
    /// released when nothing of it waits (``PartitionStore/markReleased()``), so that this disk may keep it.
    private func drain(_ partition: Int32, releasing: Bool) async {
        _ = await stores.withStore(partition) { store in
            do {
                while try await publishRound(of: store, releasing: releasing) {}
                let settled = store.relay.withLock { $0.isSettled } && store.unpublished.withLock { $0.isEmpty }
                if releasing && settled { try await store.markReleased() }
            } catch {
                logger.error("outbox relay failed", metadata: ["partition": "\(partition)", "error": "\(error)"])
            }
        }
    }

    /// One round; `false` when there was nothing to publish or it failed (the rest waits for the next wake-up).
    ///
    /// The tombstones of delivered messages alone make no round, except for a release or an erasure: they go with
    /// the store's next changes (a batch's, or a tick's, which writes the positions the delivery reached:
    /// ``RelayProgress``). A round of their own after every delivery cost a broker round trip and a commit, and the
    /// next batch's messages waited for it.
    private func publishRound(of store: PartitionStore, releasing: Bool) async throws -> Bool {
        let partition = store.partition
        var taken = store.unpublished.withLock { unpublished in
            defer { unpublished = Unpublished() }
            return unpublished
        }
        var state = store.relay.withLock { $0 }
        var messages = taken.messages
        taken.messages = []  // `messages` the only reference: numbered in place, not copied
        for index in messages.indices where messages[index].seq == 0 {
            messages[index].seq = state.nextSeq
            state.nextSeq += 1
        }
        if !state.partlyDelivered.isEmpty { rerecordUndelivered(&state, before: &messages) }
        state.scrub = state.scrub || taken.scrub
        guard
            !taken.records.isEmpty || !messages.isEmpty || ((releasing || state.scrub) && !state.delivered.isEmpty)
                || !state.recorded.isEmpty || state.markerOffset == nil
        else {
            if let offsets = taken.offsets { state.offsets = (state.offsets ?? [:]).merging(offsets) { $1 } }
            store.relay.withLock { $0 = state }
            reportBacklog(of: store)
            if state.scrub { try await scrub(store) }
            return false
        }
        var changes: [KafkaProducerMessage] = []
        changes.reserveCapacity(state.delivered.count + taken.records.count + messages.count + 1)
        // A record needs its store's schema for itself (a compacted changelog keeps the last record of a row, not
        // the marker of its round): a row's value begins with it, and a tombstone, which has no value, carries it in
        // a header. The store that published a round is named by its marker only (ChangelogRecord). Two headers on
        // every record were about 5 % of `ot-registrations`' instructions: librdkafka makes a list for a message's
        // headers, and adds, writes and frees each one.
        let schema = store.schema
        let schemaHeader = [KafkaHeader(name: StoreSchema.header, string: schema.description)]
        let topic = changelogTopic
        for chunk in state.delivered {
            changes.append(
                KafkaProducerMessage(
                    topic: topic, keyBytes: OutboxChunk.key(chunk)[...], valueBytes: nil, headers: schemaHeader,
                    partition: partition))
        }
        for change in taken.records {
            changes.append(
                KafkaProducerMessage(
                    topic: topic, keyBytes: change.key, valueBytes: change.value,
                    headers: change.value == nil ? schemaHeader : [], partition: partition))
        }
        // The new messages in chunks, each one record; a message a restore gave back leaves its old record (a chunk's
        // or an `ot_outbox` row's) in the same round, after the chunk that holds it now.
        let prefix = schema.valuePrefix
        let chunks = OutboxChunk.ranges(of: messages)
        var nextChunk = state.nextChunk
        for range in chunks {
            changes.append(
                KafkaProducerMessage(
                    topic: topic, keyBytes: OutboxChunk.key(nextChunk)[...],
                    valueBytes: OutboxChunk.recordValue(nextChunk, messages[range], after: prefix)[...],
                    partition: partition))
            nextChunk += 1
        }
        // Only the first round after a restore has such messages. A restore numbers the chunks after the last it gave
        // back (PartitionStore.beginUse()), so a new chunk never has an old record's key; the check keeps a new
        // chunk's record from its tombstone regardless.
        if messages.contains(where: { $0.restoredKey != nil }) {
            var superseded = Set((state.nextChunk..<nextChunk).map(OutboxChunk.key))
            for message in messages {
                guard let key = message.restoredKey, superseded.insert(key).inserted else { continue }
                changes.append(
                    KafkaProducerMessage(
                        topic: topic, keyBytes: key[...], valueBytes: nil, headers: schemaHeader, partition: partition))
            }
        }
        let round = state.round + 1
        changes.append(
            KafkaProducerMessage(
                topic: changelogTopic, key: Array(ChangelogRecord.markerKey.utf8), value: Array("\(round)".utf8),
                headers: [KafkaHeader(name: Self.storeHeader, string: store.storeID)], partition: partition))
        // Whatever is not published goes back, before what was committed since, for the next round.
        func putBack() {
            store.relay.withLock { $0 = state }
            store.unpublished.withLock {
                $0.putBack(
                    Unpublished(
                        records: taken.records, messages: messages, offsets: taken.offsets, scrub: taken.scrub,
                        messagesSince: taken.messagesSince))
            }
        }
        guard !stores.isClosing(partition) else {
            putBack()
            return false
        }
        let changelogReports = try await producer.send(changes)
        if let failure = changelogReports.lazy.compactMap(\.error).first {
            putBack()
            noteFailure(failure, store: store, what: "publishing the changelog failed")
            return false
        }
        state.round = round
        state.markerOffset = changelogReports.last!.offset
        state.delivered.removeAll()
        for range in chunks {
            let chunk = state.nextChunk
            state.nextChunk += 1
            state.undelivered[chunk] = range.count
            for index in range {
                messages[index].chunk = chunk
                messages[index].restoredKey = nil
            }
        }
        state.recorded.appendAdopting(messages)
        if let offsets = taken.offsets { state.offsets = (state.offsets ?? [:]).merging(offsets) { $1 } }
        // The changelog holds everything the messages stand on: now they may go.
        var positions: [KafkaTopicPartition: Int64] = [:]
        var failure: KafkaError?
        var delivered = 0
        if !state.recorded.isEmpty && !stores.isClosing(partition) {
            let reports = try await producer.send(state.recorded.map(\.producerMessage))
            var undelivered: [OutboxMessage] = []
            for (message, report) in zip(state.recorded, reports) {
                if let error = report.error {
                    failure = failure ?? error
                    undelivered.append(message)
                    continue
                }
                delivered += 1
                if let left = state.undelivered[message.chunk], left > 1 {
                    state.undelivered[message.chunk] = left - 1
                } else {
                    state.undelivered[message.chunk] = nil
                    state.delivered.append(message.chunk)
                }
                let target = KafkaTopicPartition(topic: report.topic, partition: report.partition)
                positions[target] = max(positions[target] ?? -1, report.offset)
            }
            // Only when a send failed: which chunks were delivered in part (for the next round to record again).
            if !undelivered.isEmpty {
                for (message, report) in zip(state.recorded, reports)
                where report.error == nil && state.undelivered[message.chunk] != nil {
                    state.partlyDelivered.insert(message.chunk)
                }
            }
            state.recorded = undelivered
        }
        store.relay.withLock { $0 = state }
        store.noteProgress(RelayProgress(round: state.round, markerOffset: state.markerOffset, positions: positions))
        metrics.published(delivered)
        if failure == nil, !messages.isEmpty, let since = taken.messagesSince {
            metrics.publishDelay(since.duration(to: .now))
        }
        reportBacklog(of: store)
        if taken.offsets != nil, let offsets = state.offsets { onPublished(partition, offsets) }
        if let failure {
            noteFailure(failure, store: store, what: "outbox delivery failed")
            return false
        }
        return true
    }

    /// Rebuilds the store's file from its live rows, checkpoints its log into it and truncates the log
    /// (HandlerContext.scrubAfterPublishing(), or a table a migration dropped) once the deletion and everything before
    /// it is out; a reader holding an old snapshot defers it to a later round.
    private func scrub(_ store: PartitionStore) async throws {
        // Rebuilt: rows the tree moved before they were deleted left copies in unused space that only a rebuild drops.
        guard try await store.store.truncateLog(rebuildingFile: true) else { return }
        try await store.write { db in try db.execute(sql: "UPDATE ot_store_meta SET scrub_requested = 0") }
        store.relay.withLock { $0.scrub = false }
        logger.info(
            "store log truncated after rows were deleted (an erasure, or a table a migration dropped)",
            metadata: ["partition": "\(store.partition)"])
        onScrubbed?(store.partition)
    }

    /// Logs a failed delivery (librdkafka already retried it for `message.timeout.ms`, so this is a long outage or
    /// a fatal producer error); what was not delivered stays and goes again next round.
    /// Moves every message not yet delivered to the front of the round's `messages`, each to be recorded again in
    /// a new chunk and its old chunk's record tombstoned in the same round, as a restore's messages are.
    ///
    /// Called when a chunk was delivered in part: the positions its delivered messages reached reach the changelog
    /// with the store's next write, in this round or a later one. A restore that gave the whole chunk back would have
    /// ``OutboxRecovery`` look for them only past those positions, not find them, and send them again. The messages
    /// of the other chunks not yet delivered move too, so that the order they are sent in stays the order they were
    /// emitted in.
    private func rerecordUndelivered(_ state: inout RelayState, before messages: inout [OutboxMessage]) {
        var undelivered = state.recorded
        for index in undelivered.indices {
            undelivered[index].restoredKey = OutboxChunk.key(undelivered[index].chunk)
            state.undelivered[undelivered[index].chunk] = nil
        }
        state.recorded = []
        state.partlyDelivered = []
        messages = undelivered + messages
    }

    private func noteFailure(_ error: KafkaError, store: PartitionStore, what: String) {
        logger.error("\(what)", metadata: ["partition": "\(store.partition)", "error": "\(error)"])
        if let fatalError = producer.fatalError {
            fatal.withLock { $0 = $0 ?? fatalError }
        }
        reportBacklog(of: store)
    }

    /// Sets `ot_outbox_backlog_rows` for the store: its messages not delivered yet, those of the round and those
    /// committed while it ran (a round that delivered everything it took may end with more waiting).
    private func reportBacklog(of store: PartitionStore) {
        let backlog =
            store.relay.withLock { $0.recorded.count } + store.unpublished.withLock { $0.messages.count }
        metrics.outboxBacklog(partition: store.partition, backlog)
    }
}
