import ArgumentParser
import Foundation
import Kafka
import KafkaTesting

/// `ot-kafka-benchmark`: produce and consume rates through our Swift wrapper beside kcat's, on the same in-process
/// mock cluster in the same run, with the median of several rounds.
///
/// Each round creates two fresh topics (the mock broker keeps at most 5 MiB per partition and silently drops older
/// data), then times the wrapper's batch `send` and `kcat -P`, then the wrapper's consumer reading everything from the
/// beginning and `kcat -C -e`; which client goes first alternates from round to round. No rate is printed unless
/// every message was delivered and read back on the partition murmur2 puts it on. Exits 0 whether or not the target
/// is met; non-zero when messages are lost or kcat fails.
@main
struct KafkaBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ot-kafka-benchmark",
        abstract: "Compare produce and consume rates of the Swift Kafka wrapper with kcat's on the embedded broker.")

    /// The most bytes per partition the messages may average (the mock broker keeps at most 5 MiB).
    static let averagePartitionLimit = 4 << 20
    /// The most bytes, record framing included, the fullest partition may get by murmur2's placement.
    static let fullestPartitionLimit = 9 << 19
    /// The most messages a partition may get (the mock broker keeps at most 100,000 batches).
    static let partitionMessageLimit = 90_000

    @Option(help: "How many messages each client produces and consumes per round.")
    var messages: Int = 800_000

    @Option(help: "The value size in bytes.")
    var size: Int = 200

    @Option(help: "The partition count of every topic.")
    var partitions: Int32 = 48

    @Option(help: "How many rounds to run; the median is reported.")
    var rounds: Int = 3

    @Option(help: "How many brokers the mock cluster has.")
    var brokers: Int = 3

    @Option(help: "The kcat executable, as a path or a name looked up in PATH.")
    var kcat: String = "kcat"

    /// Refuses options that would make the mock broker drop messages before they are read back.
    func validate() throws {
        guard messages >= 1, size >= 1, partitions >= 1, rounds >= 1, brokers >= 1 else {
            throw ValidationError("--messages, --size, --partitions, --rounds and --brokers must be at least 1")
        }
        let average = Double(messages) * Double(size) / Double(partitions)
        guard average <= Double(Self.averagePartitionLimit) else {
            throw ValidationError(
                "--messages × --size / --partitions is \(Self.mebibytes(average)) per partition; the mock broker "
                    + "keeps at most 5 MiB per partition and silently drops older data, so keep it at most "
                    + "\(Self.mebibytes(Double(Self.averagePartitionLimit))): lower --messages or --size, "
                    + "or raise --partitions")
        }
        let load = BenchmarkWorkload.expectedLoad(count: messages, valueSize: size, partitionCount: Int(partitions))
        let fullest = load.bytes.max() ?? 0
        let mostMessages = load.messages.max() ?? 0
        guard fullest <= Self.fullestPartitionLimit, mostMessages <= Self.partitionMessageLimit else {
            throw ValidationError(
                "murmur2 puts \(BenchmarkReport.grouped(mostMessages)) messages, about "
                    + "\(Self.mebibytes(Double(fullest))), on the fullest partition; the mock broker keeps at most "
                    + "5 MiB and 100,000 batches per partition and silently drops older data, so keep it under "
                    + "\(Self.mebibytes(Double(Self.fullestPartitionLimit))) and "
                    + "\(BenchmarkReport.grouped(Self.partitionMessageLimit)) messages: lower --messages or --size, "
                    + "or raise --partitions")
        }
    }

    /// Runs every round and prints the rates.
    ///
    /// - Throws: ``BenchmarkError`` when a message is lost or kcat fails.
    func run() async throws {
        let kcatExecutable = try KcatBenchmark.resolve(kcat)
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("ot-kafka-benchmark-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let workload = BenchmarkWorkload(count: messages, valueSize: size, partitionCount: Int(partitions))
        let input = scratch.appendingPathComponent("messages.tsv")
        try workload.writeKcatInput(to: input)
        let kafka = try EmbeddedKafka(brokers: brokers, partitions: partitions, label: "ot-kafka-benchmark")
        let bootstrapServers = kafka.configuration.bootstrapServers
        let fullest = workload.storedBytesPerPartition.max() ?? 0
        Self.emit(
            """
            ot-kafka-benchmark: the Swift wrapper (Kafka) beside kcat on one in-process mock cluster
              broker:   \(brokers) brokers at \(bootstrapServers)
              messages: \(BenchmarkReport.grouped(messages)) × \(size) B values, keys key-<i % \
            \(BenchmarkWorkload.distinctKeys)>, \(Self.mebibytes(Double(workload.payloadBytes))) of keys and values
              topics:   \(partitions) partitions, fresh ones each round; fullest partition about \
            \(Self.mebibytes(Double(fullest))) (mock broker limit 5 MiB)
              producer: idempotent, murmur2_random, linger 5 ms (wrapper defaults; kcat with the same -X settings)
              rounds:   \(rounds), median reported; the client that goes first alternates each round

            """)

        let wrapper = WrapperBenchmark(kafka: kafka, workload: workload)
        let kcat = KcatBenchmark(
            executable: kcatExecutable, bootstrapServers: bootstrapServers, scratchDirectory: scratch,
            workload: workload)
        let replicationFactor = Int32(min(brokers, 3))
        var report = BenchmarkReport()
        for round in 1...rounds {
            let wrapperTopic = "bench.wrapper.\(round)"
            let kcatTopic = "bench.kcat.\(round)"
            for topic in [wrapperTopic, kcatTopic] {
                try kafka.cluster.createTopic(topic, partitions: partitions, replicationFactor: replicationFactor)
            }
            func measure(_ phase: BenchmarkReport.Phase, _ client: BenchmarkReport.Client) async throws
                -> BenchmarkMeasurement
            {
                switch (phase, client) {
                case (.produce, .wrapper): try await wrapper.produce(topic: wrapperTopic)
                case (.produce, .kcat): try await kcat.produce(topic: kcatTopic, input: input)
                case (.consume, .wrapper): try await wrapper.consume(topic: wrapperTopic)
                case (.consume, .kcat): try await kcat.consume(topic: kcatTopic)
                }
            }
            // Who goes first alternates, so that drift during a run (the mock broker's memory growing, other load on
            // the machine) does not favour one side.
            let order: [BenchmarkReport.Client] = round % 2 == 1 ? [.wrapper, .kcat] : [.kcat, .wrapper]
            for phase in BenchmarkReport.Phase.allCases {
                for client in order { report.record(try await measure(phase, client), phase, client) }
            }
            // kcat's consume went to /dev/null: count what the topic holds, per partition, before believing it.
            try workload.verify(try await kcat.messagesPerPartition(topic: kcatTopic), topic: kcatTopic, reader: "kcat")
            Self.emit(report.roundLine(round, of: rounds))
        }
        Self.emit("\nmedian of \(rounds) round\(rounds == 1 ? "" : "s"):\n" + report.summary)
    }

    /// Writes a line to standard output at once, unbuffered, so that progress shows while rounds run.
    static func emit(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// `bytes` in MiB, two decimals.
    static func mebibytes(_ bytes: Double) -> String {
        String(format: "%.2f MiB", bytes / Double(1 << 20))
    }
}
