/// What one service's `/metrics` say about its progress (docs/runtime.md lists the metrics).
struct ServiceProgress: Equatable, Sendable {
    /// The service's name, from the metrics' `service` label (such as `ot-registrations`).
    var service: String
    /// Input messages committed: processed, skipped as duplicates, or dead-lettered
    /// (`ot_events_processed_total` + `ot_events_duplicate_total` + `ot_events_dead_lettered_total`).
    var consumed: Int64
    /// Outbox messages delivered (`ot_outbox_published_total`).
    var published: Int64
    /// Outbox rows not yet delivered, over all partitions (`ot_outbox_backlog_rows`).
    var backlog: Int64
    /// Commands answered `REJECTED` (`ot_commands_rejected_total`).
    var rejected: Int64
    /// Input messages dead-lettered (`ot_events_dead_lettered_total`).
    var deadLettered: Int64
    /// The topics the service reports consumer lag for (`ot_consumer_lag_messages{topic}`): its inputs, once
    /// librdkafka's statistics have named them.
    var lagTopics: Set<String>

    /// Reads the progress from a service's metrics.
    init(samples: [MetricSample]) {
        func sum(_ name: String) -> Int64 {
            Int64(samples.filter { $0.name == name }.reduce(0) { $0 + $1.value })
        }
        service = samples.lazy.compactMap { $0.labels["service"] }.first ?? "unknown"
        deadLettered = sum("ot_events_dead_lettered_total")
        consumed = sum("ot_events_processed_total") + sum("ot_events_duplicate_total") + deadLettered
        published = sum("ot_outbox_published_total")
        backlog = sum("ot_outbox_backlog_rows")
        rejected = sum("ot_commands_rejected_total")
        lagTopics = Set(samples.filter { $0.name == "ot_consumer_lag_messages" }.compactMap { $0.labels["topic"] })
    }
}
