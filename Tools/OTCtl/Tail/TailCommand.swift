import ArgumentParser
import Foundation
import Kafka
import UnixSignals

/// `otctl tail`: follows a topic and prints each event on one line, national IDs masked.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow a topic and print each event readably, with every national ID masked.",
        discussion: """
            Each line: the event's time, partition@offset, type, key, correlation id (commands and replies) and \
            the data. Ctrl-C stops. Reads by assigning partitions, never joining a consumer group.
            """)

    @Argument(help: "The topic, such as vigo.enrollment.v1 or ot.registrations.v1.")
    var topic: String

    @Flag(help: "Start at the beginning of the topic (default: only new events).")
    var fromBeginning = false

    @Option(help: "Stop after this many events.")
    var count: Int?

    @Flag(help: "Show the data whole, not clipped.")
    var full = false

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let cluster = try ClusterReader(kafka: try broker.configuration())
        let partitions = try await cluster.partitions(of: topic)
        await cluster.close()
        let consumer = try KafkaConsumer(
            configuration: ClusterReader.consumerConfiguration(cluster.kafka), logger: otctlLogger)
        let start: Int64 = fromBeginning ? -2 : -1
        try await consumer.assign(
            partitions.map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: start) })
        printNote(
            "following \(topic) (\(partitions.count) partitions)\(fromBeginning ? " from the beginning" : ""); Ctrl-C stops"
        )
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let (limit, full) = (count, self.full)
        // The consumer's loop returns how many events it printed; a signal cancels it (a cancelled loop ends).
        let printed = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                var printed = 0
                for try await event in consumer.events {
                    guard case .messages(let batch) = event else { continue }
                    for message in batch {
                        output(EventLine.format(message, full: full))
                        printed += 1
                        if let limit, printed >= limit { return printed }
                    }
                }
                return printed
            }
            group.addTask {
                for await _ in signals { break }
                return nil
            }
            var printed = 0
            while let result = try await group.next() {
                group.cancelAll()
                if let result { printed = result }
            }
            return printed
        }
        await consumer.close()
        printNote("\(printed) events")
    }
}
