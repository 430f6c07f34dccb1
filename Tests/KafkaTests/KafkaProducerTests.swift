import Foundation
import Kafka
import KafkaTesting
import TestTraits
import Testing

@Suite("KafkaProducer against the embedded broker", .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct KafkaProducerTests {
    @Test("a message's key, value and headers arrive as sent")
    func roundTrip() async throws {
        let topic = uniqueName("round-trip")
        let kafka = try EmbeddedKafka(topics: [topic])
        let producer = try kafka.makeProducer()
        let headers = [
            KafkaHeader(name: "ce_type", string: "no.vigo.person.updated"),
            KafkaHeader(name: "binary", value: [0, 1, 2, 255]),
            KafkaHeader(name: "null", value: nil),
            KafkaHeader(name: "empty", value: []),
        ]
        let sent = [
            KafkaProducerMessage(topic: topic, key: "01010112345", value: #"{"a":1}"#, headers: headers),
            KafkaProducerMessage(topic: topic, key: nil, value: "no key"),
            KafkaProducerMessage(topic: topic, key: [9, 8], value: nil, partition: 3),
            KafkaProducerMessage(
                topic: topic, key: Array("stamped".utf8), value: Array("v".utf8), timestamp: 1_700_000_000_123),
        ]
        let before = Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down))
        let reports = try await producer.send(sent)
        let after = Int64((Date().timeIntervalSince1970 * 1_000).rounded(.up))
        #expect(reports.allSatisfy { $0.isDelivered })
        #expect(reports[2].partition == 3)

        let consumer = try kafka.makeConsumer(groupID: uniqueName("g"))
        try await consumer.assign((0..<kafka.partitions).map { .init(topic: topic, partition: $0, offset: -2) })
        let received = try await consumer.collect(4)
        await consumer.close()

        let first = try #require(received.first { $0.keyString == "01010112345" })
        #expect(first.valueString == #"{"a":1}"#)
        #expect(first.headers == headers)
        #expect(first.headerString("ce_type") == "no.vigo.person.updated")
        #expect(first.header("null") == .some(nil))
        #expect(first.header("empty") == .some([]), "present and empty, not absent")
        #expect(first.header("missing") == nil)
        #expect(first.partition == reports[0].partition && first.offset == reports[0].offset)
        let stampedWhenSent = try #require(first.timestamp)
        #expect(before <= stampedWhenSent && stampedWhenSent <= after, "stamped as it was enqueued")
        #expect(received.first { $0.keyString == "stamped" }?.timestamp == 1_700_000_000_123, "its own timestamp")
        let keyless = try #require(received.first { $0.valueString == "no key" })
        #expect(keyless.key == nil)
        let tombstone = try #require(received.first { $0.partition == 3 && $0.key.map(Array.init) == [9, 8] })
        #expect(tombstone.value == nil)
        await producer.shutdown()
    }

    @Test("messages made from parts of one buffer arrive with their own bytes: an empty value is not a tombstone")
    func sharedBuffer() async throws {
        let topic = uniqueName("shared-buffer")
        let kafka = try EmbeddedKafka(topics: [topic])
        let producer = try kafka.makeProducer()
        // Keys and values one after another in one buffer, as a store's changelog records are collected.
        let buffer = Array("k0v0k1k2value twok3".utf8)
        let parts: [(key: Range<Int>, value: Range<Int>?)] = [
            (0..<2, 2..<4),  // k0, v0
            (4..<6, 6..<6),  // k1, an empty value at the end of the key
            (6..<8, 8..<17),  // k2, "value two"
            (17..<19, nil),  // k3, a tombstone
            (19..<19, 19..<19),  // an empty key and an empty value at the buffer's end
        ]
        let sent = parts.map {
            KafkaProducerMessage(
                topic: topic, keyBytes: buffer[$0.key], valueBytes: $0.value.map { buffer[$0] }, partition: 0)
        }
        #expect(sent[2].key == Array("k2".utf8) && sent[2].value == Array("value two".utf8))
        #expect(sent[0] == KafkaProducerMessage(topic: topic, key: "k0", value: "v0", partition: 0))
        let received = try await Self.sendAndReadBack(sent, to: topic, producer: producer, kafka: kafka)

        #expect(received.map { $0.key.map(Array.init) ?? [] } == ["k0", "k1", "k2", "k3", ""].map { Array($0.utf8) })
        #expect(received.map { $0.value.map(Array.init) } == [Array("v0".utf8), [], Array("value two".utf8), nil, []])
    }

    @Test("each message of a batch arrives with its own headers, whether or not it shares its header array")
    func headersPerMessage() async throws {
        let topic = uniqueName("headers")
        let kafka = try EmbeddedKafka(topics: [topic])
        let producer = try kafka.makeProducer()
        // The producer reuses the C form of the previous message's headers when a message has the same array (a
        // store's changelog records share one): each message here must still arrive with exactly its own.
        let shared = [KafkaHeader(name: "store", string: "s1"), KafkaHeader(name: "schema", string: "2")]
        let sameSizes = [KafkaHeader(name: "store", string: "s2"), KafkaHeader(name: "schema", string: "2")]
        let longer = [
            KafkaHeader(name: "ce_source", string: String(repeating: "urn:vigo:ot:", count: 40)),
            KafkaHeader(name: "fylke-æøå", string: "Trøndelag"),
            KafkaHeader(name: "null", value: nil),
            KafkaHeader(name: "empty", value: []),
            KafkaHeader(name: "binary", value: Array(0...255)),
        ]
        let headersSent: [[KafkaHeader]] = [shared, shared, longer, [], shared, sameSizes, sameSizes, shared]
        let sent = headersSent.enumerated().map { index, headers in
            KafkaProducerMessage(topic: topic, key: "k\(index)", value: "v\(index)", headers: headers, partition: 0)
        }
        let received = try await Self.sendAndReadBack(sent, to: topic, producer: producer, kafka: kafka)

        #expect(received.map(\.keyString) == sent.indices.map { "k\($0)" })
        for (index, message) in received.enumerated() {
            #expect(message.headers == headersSent[index], "message \(index)")
        }
    }

    @Test("messages of one key keep their order and their partition, across 12 partitions")
    func perKeyOrdering() async throws {
        let topic = uniqueName("ordering")
        let kafka = try EmbeddedKafka(topics: [topic])
        let producer = try kafka.makeProducer()
        let messages = sequencedMessages(topic: topic, count: 6_000, keys: 50)
        // Several concurrent senders, each with its own keys, as the outbox relay will run.
        try await withThrowingTaskGroup(of: [KafkaDeliveryReport].self) { group in
            for lane in 0..<5 {
                let mine = messages.filter {
                    Int($0.key.map { String(decoding: $0, as: UTF8.self) }!.dropFirst(4))! % 5 == lane
                }
                group.addTask { try await producer.send(mine) }
            }
            for try await reports in group { #expect(reports.allSatisfy { $0.isDelivered }) }
        }
        let consumer = try kafka.makeConsumer(groupID: uniqueName("g"))
        try await consumer.assign((0..<kafka.partitions).map { .init(topic: topic, partition: $0, offset: -2) })
        let received = try await consumer.collect(messages.count)
        await consumer.close()

        #expect(received.count == messages.count)
        var partitionOfKey: [String: Int32] = [:]
        var lastSequence: [String: Int] = [:]
        for message in received {
            let key = try #require(message.keyString)
            let sequence = try #require(Int(message.valueString ?? ""))
            #expect(partitionOfKey[key, default: message.partition] == message.partition, "key \(key) moved partition")
            partitionOfKey[key] = message.partition
            #expect(
                sequence == lastSequence[key, default: -1] + 1,
                "key \(key): \(sequence) after \(lastSequence[key] ?? -1)")
            lastSequence[key] = sequence
        }
        #expect(Set(partitionOfKey.values).count > 1, "keys should spread over partitions")
        await producer.shutdown()
    }

    @Test("messages without headers go in runs between those with headers or timestamps, over two topics, in order")
    func runsBetweenOthers() async throws {
        let (left, right) = (uniqueName("runs-left"), uniqueName("runs-right"))
        let kafka = try EmbeddedKafka(topics: [left, right])
        let producer = try kafka.makeProducer()
        // Runs of one to five messages, broken by a change of topic, a header or a timestamp of a message's own.
        let sent = (0..<60).map { (index: Int) -> KafkaProducerMessage in
            let topic = (index / 5) % 2 == 0 ? left : right
            let value: [UInt8]? = index % 13 == 4 ? nil : Array("v\(index)".utf8)
            let headers = index % 7 == 3 ? [KafkaHeader(name: "h", string: "\(index)")] : []
            let timestamp: Int64? = index % 11 == 5 ? 1_700_000_000_000 + Int64(index) : nil
            return KafkaProducerMessage(
                topic: topic, key: Array("k\(index)".utf8), value: value, headers: headers, partition: 0,
                timestamp: timestamp)
        }
        let reports = try await producer.send(sent)
        #expect(reports.allSatisfy { $0.isDelivered })
        await producer.shutdown()

        for topic in [left, right] {
            let expected = sent.filter { $0.topic == topic }
            let consumer = try kafka.makeConsumer(groupID: uniqueName("g"))
            try await consumer.assign([.init(topic: topic, partition: 0, offset: -2)])
            let received = try await consumer.collect(expected.count).sorted { $0.offset < $1.offset }
            await consumer.close()
            let keys: [[UInt8]?] = received.map { $0.key.map { Array($0) } }
            let values: [[UInt8]?] = received.map { $0.value.map { Array($0) } }
            #expect(keys == expected.map(\.key))
            #expect(values == expected.map(\.value))
            #expect(received.map(\.headers) == expected.map(\.headers))
            for (message, original) in zip(received, expected) where original.timestamp != nil {
                #expect(message.timestamp == original.timestamp, "\(message.keyString ?? "")")
            }
        }
    }

    @Test("a message librdkafka refuses fails alone: the rest of its run is delivered, in order")
    func refusedInARun() async throws {
        let topic = uniqueName("refused")
        let kafka = try EmbeddedKafka(topics: [topic])
        let producer = try kafka.makeProducer { $0.kafka.properties["message.max.bytes"] = "1000" }
        let sent = (0..<6).map { index in
            KafkaProducerMessage(
                topic: topic, key: "k\(index)", value: index == 2 ? String(repeating: "x", count: 3_000) : "v\(index)",
                partition: 0)
        }
        let reports = try await producer.send(sent)
        #expect(reports.map(\.isDelivered) == [true, true, false, true, true, true])
        #expect(reports[2].error?.code == .messageSizeTooLarge, "\(String(describing: reports[2].error))")
        await producer.shutdown()

        let consumer = try kafka.makeConsumer(groupID: uniqueName("g"))
        try await consumer.assign([.init(topic: topic, partition: 0, offset: -2)])
        let received = try await consumer.collect(5).sorted { $0.offset < $1.offset }
        await consumer.close()
        #expect(received.map(\.keyString) == ["k0", "k1", "k3", "k4", "k5"])
    }

    @Test(
        "a send larger than librdkafka's queue waits for room as its runs fill it: nothing lost, doubled or reordered")
    func runsThroughAFullQueue() async throws {
        let topic = uniqueName("full-queue")
        let kafka = try EmbeddedKafka(topics: [topic])
        let producer = try kafka.makeProducer { $0.queueCapacity = 100 }
        let messages = sequencedMessages(topic: topic, count: 5_000, keys: 40)
        let reports = try await producer.send(messages)
        #expect(reports.filter { !$0.isDelivered }.isEmpty, "\(reports.compactMap(\.error).prefix(3))")
        await producer.shutdown()
        try await expectExactlyOnceInOrder(messages, kafka: kafka, topic: topic)
    }

    @Test("a key lands on the same partition number in every topic of the same partition count")
    func coPartitioning() async throws {
        let (left, right) = (uniqueName("left"), uniqueName("right"))
        let kafka = try EmbeddedKafka(topics: [left, right])
        let producer = try kafka.makeProducer()
        let keys = (0..<200).map { "\(10_000_000_000 + $0 * 7919)" }
        let leftReports = try await producer.send(keys.map { KafkaProducerMessage(topic: left, key: $0, value: "l") })
        let rightReports = try await producer.send(keys.map { KafkaProducerMessage(topic: right, key: $0, value: "r") })
        #expect(leftReports.map(\.partition) == rightReports.map(\.partition))
        // And the Swift partitioner agrees with librdkafka's murmur2_random.
        #expect(
            keys.map { KafkaPartitioner.murmur2Partition(of: Array($0.utf8), partitionCount: kafka.partitions) }
                == leftReports.map(\.partition))
        #expect(Set(leftReports.map(\.partition)).count == Int(kafka.partitions))
        await producer.shutdown()
    }

    @Test("the idempotent producer delivers each message once, in order, through injected request errors")
    func exactlyOnceUnderRequestErrors() async throws {
        let topic = uniqueName("idempotent")
        let kafka = try EmbeddedKafka(topics: [topic])
        let producer = try kafka.makeProducer()
        let retriable: [KafkaError.Code] = [
            .notLeaderForPartition, .requestTimedOut, .notEnoughReplicas, .leaderNotAvailable,
        ]
        kafka.cluster.pushRequestErrors(.produce, Array(repeating: retriable, count: 5).flatMap { $0 })
        let messages = sequencedMessages(topic: topic, count: 3_000, keys: 30)
        let reports = try await producer.send(messages)
        #expect(reports.filter { !$0.isDelivered }.isEmpty, "\(reports.compactMap(\.error).prefix(3))")
        #expect(producer.fatalError == nil)

        try await expectExactlyOnceInOrder(messages, kafka: kafka, topic: topic)
        await producer.shutdown()
    }

    @Test("sending after shutdown is a clear error")
    func sendAfterShutdown() async throws {
        let kafka = try EmbeddedKafka(topics: ["t"])
        let producer = try kafka.makeProducer()
        await producer.shutdown()
        await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerMessage(topic: "t", key: "k", value: "v"))
        }
    }

    @Test("an invalid property is a configuration error naming it")
    func invalidProperty() throws {
        var configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"))
        configuration.kafka.properties["no.such.property"] = "1"
        do {
            _ = try KafkaProducer(configuration: configuration, logger: .init(label: "test"))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .configuration)
            #expect(error.message.contains("no.such.property"))
        }
    }

    /// Sends `sent` (all to partition 0 of `topic`), expects each delivered, shuts the producer down, and reads the
    /// partition back from its start, in offset order.
    private static func sendAndReadBack(
        _ sent: [KafkaProducerMessage], to topic: String, producer: KafkaProducer, kafka: EmbeddedKafka
    ) async throws -> [KafkaConsumerMessage] {
        let reports = try await producer.send(sent)
        #expect(reports.allSatisfy { $0.isDelivered })
        await producer.shutdown()
        let consumer = try kafka.makeConsumer(groupID: uniqueName("g"))
        try await consumer.assign([.init(topic: topic, partition: 0, offset: -2)])
        let received = try await consumer.collect(sent.count).sorted { $0.offset < $1.offset }
        await consumer.close()
        return received
    }
}
