import Foundation
import Kafka
import KafkaTesting
import Synchronization
import TestTraits
import Testing

@Suite("KafkaConsumer against the embedded broker", .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct KafkaConsumerTests {
    /// What the members of the group test did, in the order they did it.
    enum GroupEntry: Sendable {
        case assigned(member: String, [KafkaTopicPartition])
        case revokeCommitted(member: String, [KafkaTopicPartition])
        case processed(member: String, [KafkaTopicPartitionOffset])
    }

    /// Where the group's members keep their positions: outside Kafka, as the worker runtime keeps them in SQLite,
    /// and read through `startOffsets` when a member is assigned a partition. (The mock broker refuses Kafka
    /// commits while a rebalance is in progress, which is exactly when a revoking member commits.)
    final class OffsetBook: Sendable {
        private let positions = Mutex<[KafkaTopicPartition: Int64]>([:])
        func record(_ new: [KafkaTopicPartitionOffset]) {
            positions.withLock { for position in new { $0[position.topicPartition] = position.offset } }
        }
        func start(_ partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition: Int64] {
            positions.withLock { positions in positions.filter { partitions.contains($0.key) } }
        }
    }

    /// A member that processes batches, keeps its offsets uncommitted, and commits them only when partitions
    /// are revoked or it leaves: so a partition that moved before its commit would be read twice.
    final class Member: Sendable {
        let name: String
        let consumer: KafkaConsumer
        let recorder: AwaitableLog<GroupEntry>
        let book: OffsetBook
        private let task: Task<[KafkaTopicPartition: Int64], any Error>

        init(name: String, consumer: KafkaConsumer, recorder: AwaitableLog<GroupEntry>, book: OffsetBook) {
            self.name = name
            self.consumer = consumer
            self.recorder = recorder
            self.book = book
            self.task = Task {
                var uncommitted: [KafkaTopicPartition: Int64] = [:]
                for try await event in consumer.events {
                    switch event {
                    case .messages(let batch):
                        for message in batch { uncommitted[message.topicPartition] = message.offset + 1 }
                        await recorder.append(
                            .processed(
                                member: name,
                                batch.map { KafkaTopicPartitionOffset($0.topicPartition, offset: $0.offset) }))
                    case .revoked(let partitions):
                        let positions = partitions.compactMap { partition in
                            uncommitted.removeValue(forKey: partition).map {
                                KafkaTopicPartitionOffset(partition, offset: $0)
                            }
                        }
                        book.record(positions)
                        await recorder.append(.revokeCommitted(member: name, partitions))
                    case .assigned(let partitions):
                        await recorder.append(.assigned(member: name, partitions))
                    case .lost:
                        Issue.record("\(name) lost partitions")
                    }
                }
                return uncommitted
            }
        }

        /// Commits what it processed, then leaves the group.
        func leave() async throws {
            // Ending the iteration ends the task; its uncommitted offsets come back to be committed before close.
            task.cancel()
            let uncommitted = try await task.value
            book.record(uncommitted.map { KafkaTopicPartitionOffset($0.key, offset: $0.value) })
            await consumer.close()
        }
    }

    @Test("two members share the partitions; revoked partitions move only after their work is committed")
    func groupRebalance() async throws {
        let topic = uniqueName("group")
        let kafka = try EmbeddedKafka(topics: [topic])
        let producer = try kafka.makeProducer()
        let group = uniqueName("g")
        let recorder = AwaitableLog<GroupEntry>()
        let book = OffsetBook()
        let all = Set((0..<kafka.partitions).map { KafkaTopicPartition(topic: topic, partition: $0) })

        @Sendable func processedCount(_ entries: [GroupEntry]) -> Int {
            entries.reduce(0) { if case .processed(_, let batch) = $1 { $0 + batch.count } else { $0 } }
        }
        @Sendable func assignment(_ member: String, _ entries: [GroupEntry]) -> Set<KafkaTopicPartition> {
            var owned: Set<KafkaTopicPartition> = []
            for entry in entries {
                if case .assigned(member, let partitions) = entry { owned.formUnion(partitions) }
                if case .revokeCommitted(member, let partitions) = entry { owned.subtract(partitions) }
            }
            return owned
        }

        // Round 1: A alone owns every partition and processes everything, committing nothing yet.
        let consumerA = try kafka.makeConsumer(groupID: group, startOffsets: { book.start($0) })
        try consumerA.subscribe(topics: [topic])
        let memberA = Member(name: "A", consumer: consumerA, recorder: recorder, book: book)
        try await producer.sendAll(sequencedMessages(topic: topic, count: 1_200, keys: 120))
        try await recorder.wait("A to process round 1", timeout: .seconds(60)) { processedCount($0) == 1_200 }
        #expect(assignment("A", await recorder.entries) == all)

        // B joins: A gives up some partitions (committing them first), B gets exactly those.
        let consumerB = try kafka.makeConsumer(groupID: group, startOffsets: { book.start($0) })
        try consumerB.subscribe(topics: [topic])
        let memberB = Member(name: "B", consumer: consumerB, recorder: recorder, book: book)
        try await recorder.wait("B to get partitions", timeout: .seconds(60)) { !assignment("B", $0).isEmpty }
        let entries = await recorder.entries
        let ownedByA = assignment("A", entries)
        let ownedByB = assignment("B", entries)
        #expect(ownedByA.isDisjoint(with: ownedByB))
        #expect(ownedByA.union(ownedByB) == all)
        // Every partition B got was revoked from A and committed before B was assigned it.
        let firstAssignmentOfB = try #require(
            entries.firstIndex { if case .assigned("B", _) = $0 { true } else { false } })
        let committedByABefore = entries[..<firstAssignmentOfB].reduce(into: Set<KafkaTopicPartition>()) {
            if case .revokeCommitted("A", let partitions) = $1 { $0.formUnion(partitions) }
        }
        #expect(ownedByB.isSubset(of: committedByABefore))

        // Round 2 is shared between the two.
        try await producer.sendAll(sequencedMessages(topic: topic, count: 1_200, keys: 120))
        try await recorder.wait("round 2 processed", timeout: .seconds(60)) { processedCount($0) >= 2_400 }

        // B leaves: A gets everything back, and round 3 goes to A alone.
        try await memberB.leave()
        try await recorder.wait("A to own every partition again", timeout: .seconds(60)) { assignment("A", $0) == all }
        try await producer.sendAll(sequencedMessages(topic: topic, count: 1_200, keys: 120))
        try await recorder.wait("round 3 processed", timeout: .seconds(60)) { processedCount($0) >= 3_600 }
        try await memberA.leave()

        // Each message was processed exactly once by the group as a whole.
        var seen: [KafkaTopicPartitionOffset: Int] = [:]
        for case .processed(_, let batch) in await recorder.entries {
            for position in batch { seen[position, default: 0] += 1 }
        }
        #expect(seen.count == 3_600)
        #expect(seen.values.allSatisfy { $0 == 1 }, "some messages were processed twice")
        await producer.shutdown()
    }

    @Test("committed offsets survive a consumer restart")
    func committedOffsetsSurviveRestart() async throws {
        let topic = uniqueName("restart")
        let kafka = try EmbeddedKafka(topics: [topic])
        let producer = try kafka.makeProducer()
        let group = uniqueName("g")
        try await producer.sendAll(sequencedMessages(topic: topic, count: 600, keys: 60))

        let first = try kafka.makeConsumer(groupID: group)
        try first.subscribe(topics: [topic])
        let firstBatch = try await first.collect(1)
        var positions: [KafkaTopicPartition: Int64] = [:]
        for message in firstBatch { positions[message.topicPartition] = message.offset + 1 }
        try await first.commit(positions.map { KafkaTopicPartitionOffset($0.key, offset: $0.value) })
        let committed = try await first.committed(Array(positions.keys))
        #expect(committed == positions)
        await first.close()

        let second = try kafka.makeConsumer(groupID: group)
        try second.subscribe(topics: [topic])
        let rest = try await second.collect(600 - firstBatch.count)
        await second.close()
        let firstSet = Set(firstBatch.map { KafkaTopicPartitionOffset($0.topicPartition, offset: $0.offset) })
        let restSet = Set(rest.map { KafkaTopicPartitionOffset($0.topicPartition, offset: $0.offset) })
        #expect(firstSet.isDisjoint(with: restSet), "the restarted consumer read committed messages again")
        #expect(firstSet.count + restSet.count == 600)
        await producer.shutdown()
    }

    @Test("start offsets given at assignment decide where each partition starts")
    func startOffsetsAtAssignment() async throws {
        let topic = uniqueName("start")
        let kafka = try EmbeddedKafka(topics: [topic], partitions: 2)
        let producer = try kafka.makeProducer()
        try await producer.sendAll(
            (0..<20).map { KafkaProducerMessage(topic: topic, key: nil, value: "\($0)", partition: $0 % 2) })
        let start = KafkaTopicPartition(topic: topic, partition: 0)
        let consumer = try kafka.makeConsumer(
            groupID: uniqueName("g"),
            startOffsets: { partitions in
                partitions.contains(start) ? [start: 7] : [:]
            })
        try consumer.subscribe(topics: [topic])
        let received = try await consumer.collect(13)
        await consumer.close()
        #expect(received.filter { $0.partition == 0 }.map(\.offset) == Array(7..<10))
        #expect(received.filter { $0.partition == 1 }.map(\.offset) == Array(0..<10))
        await producer.shutdown()
    }

    @Test("seek moves a partition back; pause holds it until resume")
    func seekPauseResume() async throws {
        let topic = uniqueName("seek")
        let kafka = try EmbeddedKafka(topics: [topic], partitions: 2)
        let producer = try kafka.makeProducer()
        try await producer.sendAll(
            (0..<20).map { KafkaProducerMessage(topic: topic, key: nil, value: "\($0)", partition: $0 % 2) })
        let consumer = try kafka.makeConsumer(groupID: uniqueName("g"))
        let (zero, one) = (
            KafkaTopicPartition(topic: topic, partition: 0), KafkaTopicPartition(topic: topic, partition: 1)
        )
        try await consumer.assign([.init(zero, offset: -2), .init(one, offset: -2)])
        try consumer.pause([zero])
        let whilePaused = try await consumer.collect(10)
        #expect(whilePaused.allSatisfy { $0.partition == 1 })
        try consumer.resume([zero])
        let afterResume = try await consumer.collect(10)
        #expect(afterResume.map(\.offset) == Array(0..<10) && afterResume.allSatisfy { $0.partition == 0 })

        try await consumer.seek([.init(zero, offset: 4)])
        let afterSeek = try await consumer.collect(6)
        #expect(afterSeek.map(\.offset) == Array(4..<10))
        await consumer.close()
        await producer.shutdown()
    }

    @Test("statistics report the consumer lag per partition")
    func statisticsLag() async throws {
        let topic = uniqueName("lag")
        let kafka = try EmbeddedKafka(topics: [topic], partitions: 1)
        let producer = try kafka.makeProducer()
        try await producer.sendAll((0..<50).map { KafkaProducerMessage(topic: topic, key: nil, value: "\($0)") })
        let (reports, continuation) = AsyncStream.makeStream(of: KafkaStatistics.self)
        let consumer = try kafka.makeConsumer(
            groupID: uniqueName("g"),
            configure: { configuration in
                configuration.statisticsInterval = .milliseconds(100)
                configuration.onStatistics = { continuation.yield($0) }
            })
        let partition = KafkaTopicPartition(topic: topic, partition: 0)
        try consumer.subscribe(topics: [topic])
        _ = try await consumer.collect(50)
        try await consumer.commit([.init(partition, offset: 10)])
        // Callbacks, statistics among them, are served while the consumer polls: keep it polling.
        let polling = Task { for try await _ in consumer.events {} }
        // librdkafka's lag counts from the committed offset when nothing is stored.
        let lag = try await withTimeout(.seconds(30), waitingFor: "a statistics report with the lag") {
            for await report in reports {
                if let lag = try report.consumerLag()[partition], lag == 40 { return lag }
            }
            return -1
        }
        #expect(lag == 40)
        await consumer.close()
        _ = try await polling.value
        await producer.shutdown()
    }
}
