import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTSimulation
import Synchronization
import TestTraits
import Testing

@testable import OTCtl

/// otctl's Kafka side against the in-process embedded broker.
@Suite("otctl against the embedded broker", .serialized, .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct ClusterTests {
    static let topics = [Topic.enrollment, .registrationCommands, .statistics].map(\.name)

    @Test("a simulated stream is published with every delivery checked, and all of it reads back and decodes")
    func publishAndRead() async throws {
        let kafka = try EmbeddedKafka(brokers: 1, topics: Self.topics)
        let stream = try CohortSimulation(youths: 300, seed: 9, schoolYear: SchoolYear(startYear: 2025)).generate()
        let producer = try kafka.makeProducer()
        let report = try await StreamPublisher(producer: producer, chunkSize: 1_000).publish(stream)
        await producer.shutdown()
        #expect(report.delivered == stream.events.count && report.waves == 1)
        #expect(report.byTopic == stream.summary.eventsByTopic)

        let cluster = try ClusterReader(kafka: kafka.configuration)
        let counts = try await cluster.messageCounts(of: Self.topics + ["no.such.topic"])
        #expect(counts[Topic.enrollment.name].map(Int.init) == stream.summary.eventsByTopic[Topic.enrollment.name])
        #expect(counts["no.such.topic"] == 0)
        var ids = Set(stream.events.map(\.event.id))
        for topic in [Topic.enrollment.name, Topic.registrationCommands.name] {
            for message in try await cluster.readToEnd(topic) {
                let event = try CloudEvent.decode(
                    value: message.value, headers: message.headers.map { ($0.name, $0.value) })
                #expect(try ContractTopics.decode(event, on: topic) != nil)
                #expect(ids.remove(event.id) != nil)
            }
        }
        #expect(ids.isEmpty)
        await cluster.close()
    }

    @Test("with a barrier the stream goes out wave by wave, the barrier awaited between waves")
    func waves() async throws {
        let kafka = try EmbeddedKafka(brokers: 1, topics: Self.topics)
        let stream = try CohortSimulation(youths: 200, seed: 4, schoolYear: SchoolYear(startYear: 2025)).generate()
        let producer = try kafka.makeProducer()
        let barriers = Atomic<Int>(0)
        var publisher = StreamPublisher(producer: producer)
        publisher.barrier = { barriers.add(1, ordering: .relaxed) }
        let report = try await publisher.publish(stream)
        await producer.shutdown()
        #expect(report.waves == stream.waves.count && report.delivered == stream.events.count)
        #expect(barriers.load(ordering: .relaxed) == stream.waves.count - 1)
    }

    @Test("stats reads ot.statistics.v1 to its end and shows the latest record per key")
    func stats() async throws {
        let kafka = try EmbeddedKafka(brokers: 1, topics: Self.topics)
        let producer = try kafka.makeProducer()
        var newer = StatisticsTableTests.oslo
        newer.openRegistrations = 99
        let records = [
            StatisticsTableTests.oslo, StatisticsTableTests.trondelag, StatisticsTableTests.nation, newer,
        ]
        try await producer.sendAll(
            try records.map { record in
                KafkaProducerMessage(
                    topic: Topic.statistics.name, key: Array(record.key.description.utf8),
                    value: try CloudEvent(record, source: "urn:ot:ot-statistics").structuredJSON(),
                    headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)])
            })
        await producer.shutdown()

        let cluster = try ClusterReader(kafka: kafka.configuration)
        let messages = try await cluster.readToEnd(Topic.statistics.name)
        await cluster.close()
        #expect(messages.count == 4)
        let (table, undecodable) = StatisticsTable.latest(
            from: messages.map { ($0.keyString, $0.value.map(Array.init), $0.headers) })
        #expect(undecodable == 0 && table.records.count == 3)
        let text = try table.render(scope: .county, period: .current)
        let oslo = try #require(text.split(separator: "\n").first { $0.hasPrefix("03 Oslo") })
        #expect(oslo.split(separator: " ")[2] == "99")
    }

    @Test("reading a topic that does not exist says so")
    func missingTopic() async throws {
        let kafka = try EmbeddedKafka(brokers: 1, topics: Self.topics)
        let cluster = try ClusterReader(kafka: kafka.configuration)
        await #expect {
            try await cluster.readToEnd("no.such.topic")
        } throws: { error in
            "\(error)".contains("topic no.such.topic does not exist")
        }
        await cluster.close()
    }
}
