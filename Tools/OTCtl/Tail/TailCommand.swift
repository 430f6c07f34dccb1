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

    @Option(help: "Only this partition.")
    var partition: Int32?

    @Option(help: "Start at this offset (in every partition read, or in --partition's).")
    var offset: Int64?

    @Flag(help: "Show each message's headers (a dead letter's error, source topic and offset), values masked.")
    var headers = false

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let partition, partition < 0 { throw ValidationError("--partition must be 0 or more") }
        if let offset, offset < 0 { throw ValidationError("--offset must be 0 or more") }
        if offset != nil, fromBeginning { throw ValidationError("--offset and --from-beginning exclude each other") }
    }

    func run() async throws {
        let cluster = try ClusterReader(kafka: try await broker.configuration())
        let all = try await cluster.partitions(of: topic)
        await cluster.close()
        if let partition, !all.contains(partition) {
            throw OTCtlError("\(topic) has no partition \(partition) (it has \(all.count))")
        }
        let partitions = partition.map { [$0] } ?? all
        let consumer = try KafkaConsumer(
            configuration: ClusterReader.consumerConfiguration(cluster.kafka), logger: otctlLogger)
        let start: Int64 = offset ?? (fromBeginning ? -2 : -1)
        try await consumer.assign(
            partitions.map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: start) })
        printNote(
            "following \(topic) (\(partition.map { "partition \($0)" } ?? "\(partitions.count) partitions"))"
                + (offset.map { " from offset \($0)" } ?? (fromBeginning ? " from the beginning" : ""))
                + "; Ctrl-C stops"
        )
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let (limit, full, showHeaders) = (count, self.full, headers)
        // The consumer's loop returns how many events it printed; a signal cancels it (a cancelled loop ends).
        let printed = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                var printed = 0
                for try await event in consumer.events {
                    guard case .messages(let batch) = event else { continue }
                    for message in batch {
                        output(EventLine.format(message, full: full, headers: showHeaders))
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
