import Prometheus
import Synchronization

/// The series every program serves beside its own: `ot_build_info{service,version,swift,librdkafka}` (always 1:
/// the labels are the information) and, on Linux, the process's resources from `/proc`, read when scraped
/// (``update()``):
///
/// | metric | meaning |
/// |---|---|
/// | `process_resident_memory_bytes` | resident memory |
/// | `process_cpu_seconds_total` | user and system CPU time |
/// | `process_open_fds` | open file descriptors |
/// | `process_start_time_seconds` | when the process started, in seconds since the epoch |
///
/// Each carries the label `service`, as every series of the program does.
public final class ProcessMetrics: Sendable {
    private let residentMemory: Gauge
    private let cpuTime: Counter
    private let openFileDescriptors: Gauge
    private let startTime: Gauge
    /// The CPU time the counter has counted up to: the counter only ever grows by the difference.
    private let countedCPUSeconds = Mutex(0.0)
    private let read: @Sendable () -> ProcessStatistics?

    /// Registers the series in `registry`.
    /// - Parameters:
    ///   - registry: The program's registry.
    ///   - service: The `service` label.
    ///   - build: What the program was built from.
    public convenience init(registry: PrometheusCollectorRegistry, service: String, build: BuildInfo) {
        self.init(registry: registry, service: service, build: build, read: { ProcessStatistics.current() })
    }

    init(
        registry: PrometheusCollectorRegistry, service: String, build: BuildInfo,
        read: @escaping @Sendable () -> ProcessStatistics?
    ) {
        let labels = [("service", service)]
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "ot", metricName: "build", unitName: "info",
                helpText: "Always 1; the labels name the release (OT_VERSION), the Swift compiler and librdkafka."),
            labels: labels + [("version", build.version), ("swift", build.swift), ("librdkafka", build.librdkafka)]
        ).set(to: 1.0)
        residentMemory = registry.makeGauge(
            descriptor: Self.name("process_resident_memory", "bytes", "Resident memory size in bytes."),
            labels: labels)
        cpuTime = registry.makeCounter(
            descriptor: Self.name("process_cpu", "seconds_total", "Total user and system CPU time in seconds."),
            labels: labels)
        openFileDescriptors = registry.makeGauge(
            descriptor: Self.name("process_open", "fds", "Open file descriptors."), labels: labels)
        startTime = registry.makeGauge(
            descriptor: Self.name(
                "process_start_time", "seconds", "Start time of the process since the epoch, in seconds."),
            labels: labels)
        self.read = read
    }

    /// Reads the process's resources into the series; call it before each exposition. Where they cannot be read
    /// (no `/proc`), the series keep their last values.
    public func update() {
        guard let statistics = read() else { return }
        residentMemory.set(statistics.residentMemoryBytes)
        openFileDescriptors.set(Double(statistics.openFileDescriptors))
        startTime.set(statistics.startTimeSeconds)
        let increase = countedCPUSeconds.withLock { counted in
            defer { counted = max(counted, statistics.cpuSeconds) }
            return statistics.cpuSeconds - counted
        }
        if increase > 0 { cpuTime.increment(by: increase) }
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: metric, unitName: unit, helpText: help)
    }
}
