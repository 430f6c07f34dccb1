import Kafka

extension Worker {
    /// Takes over newly assigned partitions: each store is made current (kept, or restored from the changelog) and
    /// its interrupted outbox sends are recovered before any of its events is processed, and the files of the
    /// partitions no longer owned are removed. The consumer starts the partitions at the stores' offsets once this
    /// returns.
    func assign(_ partitions: [KafkaTopicPartition], owned: inout Set<Int32>, _ parts: Parts) async throws {
        metrics.partitionsAssigned(partitions)
        // One consumer reads the changelog for every partition of this assignment.
        var restoreConsumer: KafkaConsumer?
        do {
            for number in Set(partitions.map(\.partition)).subtracting(owned).sorted() {
                lifecycle.transition(to: .restoring(partition: number))
                do {
                    if restoreConsumer == nil { restoreConsumer = try parts.restore.makeConsumer() }
                    let (store, outcome) = try await parts.restore.prepare(
                        number, stores: parts.stores, consumer: restoreConsumer)
                    try await parts.recovery.recover(store)
                    try await store.beginUse()
                    if outcome.restored {
                        configuration.onRestored?(
                            RestoreSummary(
                                partition: number, records: outcome.records, duration: outcome.duration,
                                reason: outcome.reason))
                    }
                } catch {
                    throw WorkerError.stopped("partition \(number) could not be made current: \(error)")
                }
                parts.stores.markReady(number)
                owned.insert(number)
                parts.mirror.own(number)
                // What the changelog already holds is the group's to show: a commit lost in a rebalance comes back.
                if let offsets = parts.stores.store(number)?.publishedOffsets {
                    parts.mirror.record(number, offsets)
                }
            }
        } catch {
            await restoreConsumer?.close()
            throw error
        }
        await restoreConsumer?.close()
        // Whatever moved elsewhere goes from this disk: the stores of the partitions this instance no longer owns.
        parts.stores.removeFiles(notIn: owned)
        try await checkRewind(partitions, parts)
        lifecycle.transition(to: .running)
        parts.relay.notify()
    }

    /// Compares each partition's start offset with the group's committed offset, which mirrors only what the
    /// changelog already holds: a store behind it would read input again that was processed and published before.
    private func checkRewind(_ partitions: [KafkaTopicPartition], _ parts: Parts) async throws {
        let committed: [KafkaTopicPartition: Int64]
        do {
            committed = try await parts.consumer.committed(partitions, timeout: .seconds(5))
        } catch {
            logger.debug("cannot read the group's committed offsets", metadata: ["error": "\(error)"])
            return
        }
        for partition in partitions {
            guard let mirror = committed[partition], let store = parts.stores.store(partition.partition) else {
                continue
            }
            let start = try store.consumedOffsets()[partition.topic] ?? 0
            guard start < mirror else { continue }
            let message =
                "partition \(partition) would start at offset \(start), below the group's committed offset \(mirror)"
            if configuration.forbidInputRewind { throw WorkerError.stopped(message) }
            logger.warning("\(message); reading the input again from there")
        }
    }

    /// Lets revoked partitions go: the batch in hand is already committed (the consumer releases them only once
    /// this returns), their outboxes are published and their stores closed; ticks no longer touch them, and their
    /// metrics are removed.
    func revoke(_ partitions: [KafkaTopicPartition], owned: inout Set<Int32>, _ parts: Parts) async {
        // librdkafka still counts the revoked partitions as assigned while it waits for this: the partitions to
        // let go are exactly those revoked.
        let numbers = Set(partitions.map(\.partition)).intersection(owned)
        defer { metrics.partitionsReleased(partitions) }
        parts.alignment.forget(Set(partitions.map(\.partition)))
        guard !numbers.isEmpty else { return }
        lifecycle.transition(to: .revoking)
        for number in numbers.sorted() {
            await parts.relay.release(number)
            await parts.stores.close(number)
            owned.remove(number)
        }
        parts.mirror.forget(numbers)
        lifecycle.transition(to: owned.isEmpty ? .waitingForPartitions : .running)
    }

    /// Drops lost partitions at once: another member may own them already, so nothing more is published from their
    /// stores (a relay round in flight stops at its next step), and their metrics are removed.
    func lose(_ partitions: [KafkaTopicPartition], owned: inout Set<Int32>, _ parts: Parts) async {
        parts.mirror.forget(Set(partitions.map(\.partition)))
        parts.alignment.forget(Set(partitions.map(\.partition)))
        metrics.partitionsReleased(partitions)
        for number in Set(partitions.map(\.partition)).intersection(owned).sorted() {
            logger.warning(
                "partition lost; its store is closed without publishing", metadata: ["partition": "\(number)"])
            await parts.stores.close(number)
            owned.remove(number)
        }
        if owned.isEmpty { lifecycle.transition(to: .waitingForPartitions) }
    }
}
