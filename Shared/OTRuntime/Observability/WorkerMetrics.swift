import Kafka
import Prometheus
import Synchronization

/// A worker's Prometheus metrics, in a registry of its own (several workers can share a process in tests).
///
/// The per-partition series (`ot_consumer_lag_messages{topic,partition}`, `ot_outbox_backlog_rows{partition}`,
/// `ot_restore_remaining_records{partition}`) exist only while the instance owns the partition: they are removed
/// when it is revoked or lost, and a later report about it (librdkafka's statistics run on their own clock) is
/// ignored, so that an instance never shows a value for a partition another instance now processes.
final class WorkerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let service: String
    private let processed: Counter
    private let duplicates: Counter
    private let deadLettered: Counter
    private let rejected: Counter
    private let publishedCounter: Counter
    private let batchLatency: DurationHistogram
    private let publishDelays: DurationHistogram
    private let process: ProcessMetrics
    private let partitions = Mutex(PartitionSeries())

    /// The input partitions owned and the per-partition gauges that exist.
    private struct PartitionSeries {
        var owned: Set<KafkaTopicPartition> = []
        var gauges: [GaugeKey: Gauge] = [:]

        func owns(_ partition: Int32) -> Bool { owned.contains { $0.partition == partition } }
    }

    /// A per-partition gauge: its name, and its topic unless it is per partition number.
    private struct GaugeKey: Hashable {
        var name: String
        var topic: String?
        var partition: Int32
    }

    init(service: String, build: BuildInfo = BuildInfo()) {
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
            labels: labels, buckets: Self.latencyBuckets)
        publishDelays = registry.makeDurationHistogram(
            descriptor: Self.name(
                "outbox_publish_delay", "seconds",
                "Time from committing output messages to Kafka acknowledging them (changelog, then outputs)."),
            labels: labels, buckets: Self.latencyBuckets)
        process = ProcessMetrics(registry: registry, service: service, build: build)
    }

    /// The Prometheus text of every series, with the process's figures read now: what `/metrics` serves.
    func exposition() -> [UInt8] {
        process.update()
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    func batch(_ outcome: BatchProcessor.Outcome) {
        processed.increment(by: Int64(outcome.processed))
        duplicates.increment(by: Int64(outcome.duplicates))
        deadLettered.increment(by: Int64(outcome.deadLettered))
        rejected.increment(by: Int64(outcome.rejected))
    }

    func batchDuration(_ duration: Duration) { batchLatency.record(duration) }

    /// A relay round delivered output messages, the oldest of them committed `delay` ago.
    func publishDelay(_ delay: Duration) { publishDelays.record(delay) }

    func published(_ count: Int) { publishedCounter.increment(by: Int64(count)) }

    /// The instance now owns `assigned`: their series may be set (a restore sets its gauge before the partition
    /// runs).
    func partitionsAssigned(_ assigned: [KafkaTopicPartition]) {
        partitions.withLock { $0.owned.formUnion(assigned) }
    }

    /// The instance no longer owns `released` (revoked or lost): their series are removed, and a partition number's
    /// own series once no input topic's partition of that number is owned.
    func partitionsReleased(_ released: [KafkaTopicPartition]) {
        partitions.withLock { series in
            series.owned.subtract(released)
            let gone = Set(released)
            for (key, gauge) in series.gauges {
                let stale =
                    if let topic = key.topic {
                        gone.contains(KafkaTopicPartition(topic: topic, partition: key.partition))
                    } else {
                        !series.owns(key.partition)
                    }
                guard stale else { continue }
                registry.unregisterGauge(gauge)
                series.gauges[key] = nil
            }
        }
    }

    func outboxBacklog(partition: Int32, _ rows: Int) {
        set(
            "outbox_backlog", "rows", topic: nil, partition: partition, to: rows, help: "Outbox rows not yet delivered."
        )
    }

    func restoreRemaining(partition: Int32, _ records: Int) {
        set(
            "restore_remaining", "records", topic: nil, partition: partition, to: records,
            help: "Changelog records a partition's restore has still to read (0 when none runs).")
    }

    /// Sets the lag of the owned partitions among `lag` (librdkafka's statistics may still list others).
    func consumerLag(_ lag: [KafkaTopicPartition: Int64]) {
        for (partition, value) in lag {
            set(
                "consumer_lag", "messages", topic: partition.topic, partition: partition.partition, to: Int(value),
                help: "Messages between the committed offset and the end of the partition.")
        }
    }

    private static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "ot", metricName: metric, unitName: unit, helpText: help)
    }

    /// Sets a per-partition gauge, creating it on first use; nothing when the partition is not owned.
    private func set(_ name: String, _ unit: String, topic: String?, partition: Int32, to value: Int, help: String) {
        partitions.withLock { series in
            let owned =
                if let topic {
                    series.owned.contains(KafkaTopicPartition(topic: topic, partition: partition))
                } else {
                    series.owns(partition)
                }
            guard owned else { return }
            let key = GaugeKey(name: name, topic: topic, partition: partition)
            let gauge: Gauge
            if let existing = series.gauges[key] {
                gauge = existing
            } else {
                let labels =
                    [("service", service)] + (topic.map { [("topic", $0)] } ?? []) + [("partition", "\(partition)")]
                gauge = registry.makeGauge(descriptor: Self.name(name, unit, help), labels: labels)
                series.gauges[key] = gauge
            }
            gauge.set(Double(value))
        }
    }
}
