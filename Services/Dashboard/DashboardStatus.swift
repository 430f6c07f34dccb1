import Prometheus
import Synchronization

/// Whether the dashboard shows the whole topic yet, for `/health/ready`, and its metrics for `/metrics`.
final class DashboardStatus: Sendable {
    /// The metrics registry `/metrics` serves.
    let registry = PrometheusCollectorRegistry()
    private let notReadyReason = Mutex<String?>("starting")
    private let consumed: Counter
    private let undecodable: Counter
    private let records: Gauge

    init() {
        let labels = [("service", "ot-dashboard")]
        consumed = registry.makeCounter(
            descriptor: .init(
                namespace: "ot", metricName: "dashboard_records_consumed", unitName: "total",
                helpText: "Statistics messages read from ot.statistics.v1."),
            labels: labels)
        undecodable = registry.makeCounter(
            descriptor: .init(
                namespace: "ot", metricName: "dashboard_records_undecodable", unitName: "total",
                helpText: "Statistics messages that did not decode and are not shown."),
            labels: labels)
        records = registry.makeGauge(
            descriptor: .init(
                namespace: "ot", metricName: "dashboard_records", helpText: "Statistics records (keys) held."),
            labels: labels)
    }

    /// `nil` when ready, else why not (no internals: for anyone who can reach the port).
    var reasonNotReady: String? { notReadyReason.withLock { $0 } }

    /// Not ready, because of `reason`.
    func notReady(_ reason: String) { notReadyReason.withLock { $0 = reason } }

    /// Ready: the topic was read up to where it ended at the start.
    func ready() { notReadyReason.withLock { $0 = nil } }

    /// Counts a batch read from the topic.
    func counted(messages: Int, undecodable count: Int, recordsHeld: Int) {
        consumed.increment(by: Int64(messages))
        if count > 0 { undecodable.increment(by: Int64(count)) }
        records.set(Double(recordsHeld))
    }
}
