import OTRuntime
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
    private let process: ProcessMetrics

    init(build: BuildInfo = BuildInfo()) {
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
                // No unit: the name is ot_dashboard_records (an empty unit adds nothing to it).
                namespace: "ot", metricName: "dashboard_records", unitName: "",
                helpText: "Statistics records (keys) held."),
            labels: labels)
        process = ProcessMetrics(registry: registry, service: "ot-dashboard", build: build)
    }

    /// The Prometheus text of every series, with the process's figures read now: what `/metrics` serves.
    func exposition() -> [UInt8] {
        process.update()
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
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
