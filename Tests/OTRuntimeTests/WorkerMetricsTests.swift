import Configuration
import Foundation
import Kafka
import Testing

@testable import OTRuntime

@Suite("Worker metrics: what /metrics serves", .timeLimit(.minutes(2)))
struct WorkerMetricsTests {
    static let input = "in.v1"
    static let commands = "in.commands.v1"

    /// The series of a Prometheus text exposition, `name{labels}` → value.
    static func series(_ metrics: WorkerMetrics) -> [String: Double] {
        var series: [String: Double] = [:]
        for line in String(decoding: metrics.exposition(), as: UTF8.self).split(separator: "\n")
        where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            series[String(line[..<space])] = value
        }
        return series
    }

    static func lag(_ topic: String, _ partition: Int32) -> String {
        #"ot_consumer_lag_messages{service="svc",topic="\#(topic)",partition="\#(partition)"}"#
    }

    static func backlog(_ partition: Int32) -> String {
        #"ot_outbox_backlog_rows{service="svc",partition="\#(partition)"}"#
    }

    @Test("a revoked partition's lag and backlog series disappear; the partitions still owned keep theirs")
    func revokedPartitionRemoved() {
        let metrics = WorkerMetrics(service: "svc")
        let owned = [Int32(1), 2].flatMap { number in
            [Self.input, Self.commands].map { KafkaTopicPartition(topic: $0, partition: number) }
        }
        metrics.partitionsAssigned(owned)
        metrics.consumerLag(Dictionary(uniqueKeysWithValues: owned.map { ($0, Int64($0.partition) * 10) }))
        metrics.outboxBacklog(partition: 1, 3)
        metrics.outboxBacklog(partition: 2, 4)
        var series = Self.series(metrics)
        #expect(series[Self.lag(Self.input, 1)] == 10 && series[Self.lag(Self.commands, 2)] == 20)
        #expect(series[Self.backlog(1)] == 3 && series[Self.backlog(2)] == 4)

        metrics.partitionsReleased(owned.filter { $0.partition == 2 })
        series = Self.series(metrics)
        #expect(series[Self.lag(Self.input, 2)] == nil && series[Self.lag(Self.commands, 2)] == nil)
        #expect(series[Self.backlog(2)] == nil)
        #expect(series[Self.lag(Self.input, 1)] == 10 && series[Self.lag(Self.commands, 1)] == 10)
        #expect(series[Self.backlog(1)] == 3)

        // librdkafka's next statistics report may still list the partition given away: it stays gone.
        metrics.consumerLag([
            KafkaTopicPartition(topic: Self.input, partition: 1): 5,
            KafkaTopicPartition(topic: Self.input, partition: 2): 7,
        ])
        metrics.outboxBacklog(partition: 2, 9)
        series = Self.series(metrics)
        #expect(series[Self.lag(Self.input, 1)] == 5)
        #expect(series[Self.lag(Self.input, 2)] == nil && series[Self.backlog(2)] == nil)

        // Assigned again, it reports again.
        metrics.partitionsAssigned([KafkaTopicPartition(topic: Self.input, partition: 2)])
        metrics.consumerLag([KafkaTopicPartition(topic: Self.input, partition: 2): 7])
        #expect(Self.series(metrics)[Self.lag(Self.input, 2)] == 7)
    }

    @Test("a partition number's own series stays while one input topic's partition of that number is owned")
    func partitionNumberSeries() {
        let metrics = WorkerMetrics(service: "svc")
        metrics.partitionsAssigned([
            KafkaTopicPartition(topic: Self.input, partition: 4),
            KafkaTopicPartition(topic: Self.commands, partition: 4),
        ])
        metrics.restoreRemaining(partition: 4, 100)
        metrics.partitionsReleased([KafkaTopicPartition(topic: Self.input, partition: 4)])
        let restoring = #"ot_restore_remaining_records{service="svc",partition="4"}"#
        #expect(Self.series(metrics)[restoring] == 100)
        metrics.partitionsReleased([KafkaTopicPartition(topic: Self.commands, partition: 4)])
        #expect(Self.series(metrics)[restoring] == nil)
    }

    @Test("ot_build_info names the release, the compiler and librdkafka; the process metrics are read at each scrape")
    func buildAndProcess() throws {
        let metrics = WorkerMetrics(
            service: "svc", build: BuildInfo(version: "1.4.0", swift: "6.3", librdkafka: "2.0.2"))
        let before = Date().timeIntervalSince1970
        let series = Self.series(metrics)
        #expect(series[#"ot_build_info{service="svc",version="1.4.0",swift="6.3",librdkafka="2.0.2"}"#] == 1)
        #if os(Linux)
            let memory = try #require(series[#"process_resident_memory_bytes{service="svc"}"#])
            #expect(memory > 1_000_000, "a Swift test process holds more than a megabyte")
            #expect(try #require(series[#"process_open_fds{service="svc"}"#]) >= 3, "at least stdin, out and err")
            let start = try #require(series[#"process_start_time_seconds{service="svc"}"#])
            #expect(start <= before + 1 && start > before - 86_400, "the test process started today: \(start)")
            let cpu = try #require(series[#"process_cpu_seconds_total{service="svc"}"#])
            #expect(cpu > 0)
            // 0.2 s of this thread's CPU time: the counter grows by at least that (less a clock tick of /proc's
            // rounding) at the next scrape, whatever else the machine runs.
            let burnt = Self.threadCPUSeconds() + 0.2
            var sum = 0.0
            while Self.threadCPUSeconds() < burnt { sum += sqrt(sum + 1) }
            #expect(sum > 0)
            let later = try #require(Self.series(metrics)[#"process_cpu_seconds_total{service="svc"}"#])
            #expect(later >= cpu + 0.18, "\(cpu) s, then \(later) s after 0.2 s of work")
        #endif
    }

    /// The CPU time of the calling thread.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    @Test("the Swift version is the compiler's, major.minor")
    func swiftVersion() {
        let parts = BuildInfo.compilerVersion.split(separator: ".")
        #expect(parts.count == 2 && Int(parts[0]) != nil && Int(parts[1].trimmingCharacters(in: ["+"])) != nil)
        #expect(BuildInfo(config: ConfigReader(environment: [:])).version == "dev")
        #expect(BuildInfo(config: ConfigReader(environment: ["OT_VERSION": ""])).version == "dev")
        #expect(BuildInfo(config: ConfigReader(environment: ["OT_VERSION": "1.4.0"])).version == "1.4.0")
    }
}
