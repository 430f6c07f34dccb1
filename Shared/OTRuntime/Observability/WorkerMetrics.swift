import Kafka
import Prometheus
import Synchronization

/// A worker's Prometheus metrics, in a registry of its own (several workers can share a process in tests).
final class WorkerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let service: String
    private let processed: Counter
    private let duplicates: Counter
    private let deadLettered: Counter
    private let rejected: Counter
    private let publishedCounter: Counter
    private let batchLatency: DurationHistogram
    private let gauges = Mutex<[String: Gauge]>([:])

    init(service: String) {
        self.service = service
        let labels = [("service", service)]
        processed = registry.makeCounter(
            descriptor: Self.name("events_processed", "total", "Events handled and committed."), labels: labels)
        duplicates = registry.makeCounter(
            descriptor: Self.name("events_duplicate", "total", "Events skipped because their id was seen before."),
            labels: labels)
        deadLettered = registry.makeCounter(
            descriptor: Self.name("events_dead_lettered", "total", "Events sent to the dead-letter topic."),
            labels: labels)
        rejected = registry.makeCounter(
            descriptor: Self.name("commands_rejected", "total", "Commands the service answered REJECTED."),
            labels: labels)
        publishedCounter = registry.makeCounter(
            descriptor: Self.name("outbox_published", "total", "Outbox messages delivered to Kafka."), labels: labels)
        batchLatency = registry.makeDurationHistogram(
            descriptor: Self.name("batch_duration", "seconds", "Time from receiving a batch to committing it."),
            labels: labels,
            buckets: [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
            ])
    }

    func batch(_ outcome: BatchProcessor.Outcome) {
        processed.increment(by: Int64(outcome.processed))
        duplicates.increment(by: Int64(outcome.duplicates))
        deadLettered.increment(by: Int64(outcome.deadLettered))
        rejected.increment(by: Int64(outcome.rejected))
    }

    func batchDuration(_ duration: Duration) { batchLatency.record(duration) }

    func published(_ count: Int) { publishedCounter.increment(by: Int64(count)) }

    func outboxBacklog(partition: Int32, _ rows: Int) {
        gauge("outbox_backlog", "rows", [("partition", "\(partition)")], help: "Outbox rows not yet delivered.")
            .set(Double(rows))
    }

    func restoreRemaining(partition: Int32, _ records: Int) {
        gauge(
            "restore_remaining", "records", [("partition", "\(partition)")],
            help: "Changelog records a partition's restore has still to read (0 when none runs)."
        ).set(Double(records))
    }

    func consumerLag(_ lag: [KafkaTopicPartition: Int64]) {
        for (partition, value) in lag {
            gauge(
                "consumer_lag", "messages", [("topic", partition.topic), ("partition", "\(partition.partition)")],
                help: "Messages between the committed offset and the end of the partition."
            ).set(Double(value))
        }
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "ot", metricName: metric, unitName: unit, helpText: help)
    }

    private func gauge(_ name: String, _ unit: String, _ labels: [(String, String)], help: String) -> Gauge {
        let key = name + labels.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        return gauges.withLock { gauges in
            if let gauge = gauges[key] { return gauge }
            let gauge = registry.makeGauge(
                descriptor: Self.name(name, unit, help), labels: [("service", service)] + labels)
            gauges[key] = gauge
            return gauge
        }
    }
}
