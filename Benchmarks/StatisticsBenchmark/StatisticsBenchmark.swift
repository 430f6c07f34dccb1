import ArgumentParser
import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntimeTesting
import Synchronization

/// `ot-statistics-benchmark`: the statistics service as a black box, behind the registrations service, both as
/// processes against the embedded broker.
///
/// 1. Throughput: `--youths` youths who did not apply become registrations; once `ot-registrations` has published
///    them all, `ot-statistics` starts and reads `ot.registrations.v1` from the start. Registration events/s, from
///    its first processed event to the national `current` record counting every youth.
/// 2. Latency: then, at a steady `--rate` upstream triggers per second, each one more registration, the time from
///    sending a trigger to the first national `current` record that counts it (p50, p99, max).
@main
struct StatisticsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ot-statistics-benchmark",
        abstract: "Registration events/s through ot-statistics, and end-to-end latency at a steady rate.")

    @Option(help: "Youths registered before ot-statistics starts (throughput phase).")
    var youths: Int = 20_000

    @Option(help: "Upstream triggers per second in the latency phase.")
    var rate: Int = 1_000

    @Option(help: "Seconds of the latency phase.")
    var seconds: Int = 15

    @Option(
        help: """
            fetch.wait.max.ms of the services' consumers and of the benchmark's reader (the workers' default): the \
            development broker holds every empty fetch for the whole wait (Kafka answers as soon as data arrives), \
            so on it each hop costs up to this much.
            """)
    var fetchWaitMs: Int = 20

    @Option(
        help: """
            Runs ot-statistics under valgrind's callgrind, writing its profile to this file, and prints the \
            instructions it executed per registration event of the throughput phase (the latency phase is left out): \
            a figure to compare two builds by on a quiet machine (make bench-instructions). Rates mean nothing under \
            callgrind.
            """)
    var callgrind: String?

    func run() async throws {
        let kafka = try EmbeddedKafka(brokers: 1, topics: Topic.all.map(\.name))
        let producer = try kafka.makeProducer()
        // Under callgrind there is no latency phase: its youths are not published (ot-registrations would read them).
        let latencyYouths = callgrind == nil ? rate * seconds : 0
        let persons = try (0..<(youths + latencyYouths)).map { index in
            try NationalID.synthetic(
                birthDate: LocalDate(daysSince1970: try LocalDate("2008-01-01").daysSince1970 + index % 1_000),
                index: index / 1_000)
        }
        // Everyone is known to the population register; the first `youths` did not apply.
        var messages = try persons.enumerated().map { index, person in
            try Self.message(
                PersonUpdated(
                    personId: person, birthDate: person.birthDate, gender: index % 2 == 0 ? .kvinne : .mann,
                    countyNumber: County.allCases[index % County.allCases.count], municipalityNumber: "0301"))
        }
        messages += try persons.prefix(youths).map { try Self.message(Self.trigger($0)) }
        print("publishing \(messages.count) upstream events…")
        try await producer.sendAll(messages)
        // The development broker keeps at most 5 MiB per partition and drops the oldest batches beyond it: youths
        // whose events it dropped would never be counted, and the waits below would run to their end for nothing.
        let kept = try await kafka.messageCount(of: Topic.enrollment.name)
        guard kept == messages.count else {
            throw ValidationError(
                "the development broker kept \(kept) of \(messages.count) upstream events (at most 5 MiB per "
                    + "partition): run with fewer --youths (70,000 fit)")
        }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ot-statistics-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = [
            "KAFKA_BROKERS": kafka.configuration.bootstrapServers, "OT_DATA_DIR": directory.path,
            "OT_LOG_LEVEL": "warning", "KAFKA_FETCH_WAIT_MAX_MS": String(fetchWaitMs),
        ].merging(ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("KAFKA_") }) { $1 }
        for port in [18_081, 18_084] { try await HTTPProbe.requireFree(port: port) }
        if let callgrind {
            return try await countInstructions(
                profile: callgrind, kafka: kafka, environment: environment,
                program: directory.appendingPathComponent("program"))
        }
        let registrations = try await ChildProcess(
            executable: "ot-registrations", environment: environment.merging(["OT_HTTP_PORT": "18081"]) { $1 })
        print("ot-registrations: registering \(youths) youths…")
        try await waitUntil("ot-registrations published a registration for each youth") {
            (try? await kafka.messageCount(of: Topic.registrations.name)) ?? 0 >= youths
        }
        let registrationEvents = Int(try await kafka.messageCount(of: Topic.registrations.name))

        let (watcher, consumer, reader) = try await watchNational(in: kafka)

        let statistics = try await ChildProcess(
            executable: "ot-statistics", environment: environment.merging(["OT_HTTP_PORT": "18084"]) { $1 })
        print("ot-statistics: counting \(registrationEvents) registration events…")
        var firstProcessed: ContinuousClock.Instant?
        var cpuAtFirst = 0.0
        try await waitUntil("ot-statistics counted every youth") {
            if firstProcessed == nil, let metrics = try? await HTTPProbe.get(port: 18_084, path: "/metrics").body,
                Self.counter("ot_events_processed_total", in: metrics) > 0
            {
                firstProcessed = .now
                cpuAtFirst = ProcessCPU.seconds(of: statistics.pid)
            }
            return watcher.open >= youths
        }
        let throughputSeconds = Self.seconds(firstProcessed!.duration(to: watcher.lastChange))
        // From about its first processed event (the metrics are read every 50 ms) to the count of all.
        let throughputCPU = ProcessCPU.seconds(of: statistics.pid) - cpuAtFirst

        // Latency at a steady rate: trigger k is counted once the national figure reaches youths + k + 1.
        print("latency: \(latencyYouths) triggers at \(rate)/s…")
        let cpuAtStart = (ProcessCPU.seconds(of: registrations.pid), ProcessCPU.seconds(of: statistics.pid))
        let brokerCPUAtStart = ProcessCPU.threadSeconds(named: Self.brokerThread)
        let timesAtStart = (try await ServiceTimes(port: 18_081), try await ServiceTimes(port: 18_084))
        var brokerCPUByThird: [Double] = []  // at the end of each third of the sending
        let start = ContinuousClock.now
        var sent: [ContinuousClock.Instant] = []
        var sentWallClock: [Int64] = []
        let perTick = max(1, rate / 100)
        var index = youths
        while index < persons.count {
            let due = start.advanced(by: .milliseconds(10 * (index - youths) / perTick))
            try await Task.sleep(until: due, clock: .continuous)  // pacing the load, not waiting for a result
            let slice = persons[index..<min(index + perTick, persons.count)]
            let now = ContinuousClock.now
            sentWallClock += Array(repeating: Int64(Date().timeIntervalSince1970 * 1000), count: slice.count)
            try await producer.sendAll(try slice.map { try Self.message(Self.trigger($0)) })
            sent += Array(repeating: now, count: slice.count)
            let third = (index - youths) * 3 / latencyYouths
            index += slice.count
            if (index - youths) * 3 / latencyYouths > third {
                brokerCPUByThird.append(ProcessCPU.threadSeconds(named: Self.brokerThread))
            }
        }
        try await waitUntil("every trigger counted") { watcher.open >= persons.count }
        let latencySeconds = Self.seconds(start.duration(to: .now))
        let cpu = (
            ProcessCPU.seconds(of: registrations.pid) - cpuAtStart.0,
            ProcessCPU.seconds(of: statistics.pid) - cpuAtStart.1
        )
        let brokerCPU = ProcessCPU.threadSeconds(named: Self.brokerThread) - brokerCPUAtStart
        let times = (
            try await ServiceTimes(port: 18_081).since(timesAtStart.0),
            try await ServiceTimes(port: 18_084).since(timesAtStart.1)
        )
        let counted = watcher.firstReaching(youths + 1...persons.count)
        let inOrder = zip(sent, counted).map { Self.seconds($0.duration(to: $1)) * 1000 }
        let latencies = inOrder.sorted()
        let hops = try await Self.hops(
            kafka: kafka, persons: Array(persons[youths...]), sent: sentWallClock, counts: youths + 1...persons.count)

        reader.cancel()
        await consumer.close()
        _ = await statistics.terminate()
        _ = await registrations.terminate()
        await producer.shutdown()

        print("")
        print("throughput phase      \(youths) youths, \(registrationEvents) registration events")
        print(
            "ot-statistics         \(Int(Double(registrationEvents) / throughputSeconds)) registration events/s "
                + "(\(String(format: "%.2f", throughputSeconds)) s from its first event to the national record counting all)"
        )
        print(
            "ot-statistics CPU     \(Int(throughputCPU * 1e6) / registrationEvents) µs per registration event "
                + "(user and system time, every thread, over the same span)")
        print("records published     \(watcher.records) national:all:current updates (coalesced per batch)")
        print(
            "latency phase         \(latencyYouths) upstream triggers at \(rate)/s through ot-registrations and ot-statistics, "
                + "fetch.wait.max.ms \(fetchWaitMs)")
        print(
            "end-to-end latency    p50 \(Self.percentile(latencies, 0.50)) ms, p99 \(Self.percentile(latencies, 0.99)) ms, "
                + "max \(Int(latencies.last ?? 0)) ms")
        // The development broker finds a fetch's offset by walking the partition's message sets from the oldest
        // (librdkafka 2.0.2's mock keeps up to 5 MiB per partition and has no index), so it costs more the longer
        // the phase runs; the thirds show whether latency drifts with it.
        let thirds = (0..<3).map { third in
            let part = inOrder[(inOrder.count * third / 3)..<(inOrder.count * (third + 1) / 3)].sorted()
            return "p50 \(Self.percentile(part, 0.50)), p99 \(Self.percentile(part, 0.99))"
        }
        print("  by third of the phase              \(thirds.joined(separator: "; ")) ms")
        for (name, values) in hops {
            print(
                "  \(name.padding(toLength: 34, withPad: " ", startingAt: 0)) p50 \(Self.percentile(values, 0.50)) ms, "
                    + "p99 \(Self.percentile(values, 0.99)) ms (\(values.count) triggers)")
        }
        print(
            "CPU at \(rate)/s         ot-registrations \(Self.share(cpu.0, of: latencySeconds)) of a core, "
                + "ot-statistics \(Self.share(cpu.1, of: latencySeconds)) (user and system time over the \(Int(latencySeconds)) s "
                + "of the latency phase: \(Int(cpu.0 * 1e6) / latencyYouths) and \(Int(cpu.1 * 1e6) / latencyYouths) µs per trigger)"
        )
        // The broker's share while each third of the triggers was sent (a third lasts `seconds / 3`).
        let thirdShares = zip([brokerCPUAtStart] + brokerCPUByThird, brokerCPUByThird).map {
            Self.share($1 - $0, of: Double(seconds) / 3)
        }
        print(
            "development broker    \(Self.share(brokerCPU, of: latencySeconds)) of a core over the same span "
                + "(its \(Self.brokerThread) thread, in this process; by third of the sending "
                + "\(thirdShares.joined(separator: ", ")))")
        print("ot-registrations      \(times.0)")
        print("ot-statistics         \(times.1)")
        let statisticsRate = Int(Double(registrationEvents) / throughputSeconds)
        BenchmarkTarget.report(
            "ot-statistics, \(BenchmarkTarget.grouped(registrationEvents)) registration events through its three stages",
            measured: "\(BenchmarkTarget.grouped(statisticsRate)) events/s", target: "≥ 100,000 events/s",
            met: statisticsRate >= 100_000)
        let p99 = Self.percentile(latencies, 0.99)
        BenchmarkTarget.report(
            "upstream event → national statistics record at a steady \(BenchmarkTarget.grouped(rate)) events/s",
            measured: "p50 \(Self.percentile(latencies, 0.50)) ms, p99 \(p99) ms, max \(Int(latencies.last ?? 0)) ms",
            target: "p99 ≤ 100 ms (goal 50 ms)", met: p99 <= 100)
    }

    /// The statistics records, as they arrive: national current open registrations and when.
    private func watchNational(in kafka: EmbeddedKafka) async throws -> (
        NationalWatcher, KafkaConsumer, Task<Void, any Error>
    ) {
        let watcher = NationalWatcher()
        let consumer = try kafka.makeConsumer(
            groupID: "benchmark-watcher", configure: { [fetchWaitMs] in $0.fetchWaitMax = .milliseconds(fetchWaitMs) })
        try await consumer.assign(
            (0..<kafka.partitions).map {
                KafkaTopicPartitionOffset(topic: Topic.statistics.name, partition: $0, offset: -2)
            })
        let reader = Task {
            for try await event in consumer.events {
                guard case .messages(let batch) = event else { continue }
                let now = ContinuousClock.now
                for message in batch where message.keyString == "national:all:current" {
                    let event = try CloudEvent.decode(
                        value: message.value, headers: message.headers.map { ($0.name, $0.value) })
                    let record = try event.decodePayload(as: StatisticsUpdated.self)
                    watcher.record(open: record.openRegistrations ?? 0, at: now)
                }
            }
        }
        return (watcher, consumer, reader)
    }

    /// The throughput phase with `ot-statistics` under callgrind: it starts first, on an empty registrations topic,
    /// and its counts start again once it is ready (its start, new stores and their migrations, is not counted);
    /// then `ot-registrations` registers the youths, and the count ends when the national record counts them all.
    private func countInstructions(
        profile: String, kafka: EmbeddedKafka, environment: [String: String], program: URL
    ) async throws {
        let launch = try await Callgrind.launch("ot-statistics", profile: profile, in: program)
        let statistics = try await ChildProcess(
            executable: launch.executable, arguments: launch.arguments,
            environment: environment.merging(["OT_HTTP_PORT": "18084"]) { $1 })
        try await waitUntil("ot-statistics is ready") {
            (try? await HTTPProbe.get(port: 18_084, path: "/health/ready", timeout: .seconds(2)).status) == 200
                || !statistics.isRunning
        }
        guard statistics.isRunning else { throw ValidationError("ot-statistics exited") }
        try await Callgrind.zero(pid: statistics.pid)
        let (watcher, consumer, reader) = try await watchNational(in: kafka)
        let registrations = try await ChildProcess(
            executable: "ot-registrations", environment: environment.merging(["OT_HTTP_PORT": "18081"]) { $1 })
        print("ot-registrations registering \(youths) youths, ot-statistics counting them under callgrind…")
        try await waitUntil("ot-statistics counted every youth") { watcher.open >= youths || !statistics.isRunning }
        guard statistics.isRunning else { throw ValidationError("ot-statistics exited") }
        let registrationEvents = Int(try await kafka.messageCount(of: Topic.registrations.name))
        let metrics = try await HTTPProbe.get(port: 18_084, path: "/metrics").body
        reader.cancel()
        await consumer.close()
        _ = await statistics.terminate()
        _ = await registrations.terminate()
        let instructions = try Callgrind.instructions(in: profile)
        let batches = max(1, Self.counter("ot_batch_duration_seconds_count", in: metrics))
        print("")
        print("throughput phase      \(youths) youths, \(registrationEvents) registration events")
        print("records published     \(watcher.records) national:all:current updates (coalesced per batch)")
        print("batches               \(batches) (its three stages together)")
        print(
            "instructions          \(BenchmarkTarget.grouped(instructions)), "
                + "\(BenchmarkTarget.grouped(instructions / registrationEvents)) per registration event (callgrind: every "
                + "thread of ot-statistics from the moment it was ready to its exit; profile in \(profile))")
    }

    /// The thread that runs librdkafka's mock cluster (``EmbeddedKafka``) in this process.
    static let brokerThread = "rdk:mock"

    /// The latency phase hop by hop, from the messages' timestamps (the time each was produced, in milliseconds):
    /// the trigger's registration, then the first delta, aggregate and record of the national `current` key whose
    /// running count of open registrations reaches the trigger's. A hop whose messages the broker no longer keeps is
    /// left out.
    static func hops(
        kafka: EmbeddedKafka, persons: [NationalID], sent: [Int64], counts: ClosedRange<Int>
    ) async throws -> [(String, [Double])] {
        let nationalKey = "national:all:current"
        var registered: [String: Int64] = [:]
        for message in try await kafka.readToEnd(Topic.registrations.name) {
            guard let key = message.keyString, let timestamp = message.timestamp else { continue }
            registered[key] = min(registered[key] ?? .max, timestamp)
        }
        var deltas: [(count: Int, at: Int64)] = []
        var aggregates: [(count: Int, at: Int64)] = []
        let repartition = try await kafka.readToEnd(Topic.statisticsRepartition.name)
        for message in repartition.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            guard let value = message.value, let timestamp = message.timestamp,
                let event = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
                let type = event["type"] as? String, let data = event["data"] as? [String: Any],
                data["key"] as? String == nationalKey, let cells = data["cells"] as? [String: Int]
            else { continue }
            let open = cells["openRegistrations"] ?? 0
            if type.hasSuffix(".delta") {
                deltas.append((open, timestamp))
            } else {
                aggregates.append((open, timestamp))
            }
        }
        var records: [(count: Int, at: Int64)] = []
        for message in try await kafka.readToEnd(Topic.statistics.name) where message.keyString == nationalKey {
            guard let value = message.value, let timestamp = message.timestamp,
                let event = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any],
                let data = event["data"] as? [String: Any], let open = data["openRegistrations"] as? Int
            else { continue }
            records.append((open, timestamp))
        }
        // The broker keeps only the end of a busy partition, so the deltas' running count is anchored at the end,
        // where every trigger is counted, and a count a history's kept part starts above is left out.
        let deltaTotal = deltas.reduce(0) { $0 + $1.count }
        var running = counts.upperBound - deltaTotal
        deltas = deltas.map { delta in
            running += delta.count
            return (running, delta.at)
        }
        func reaching(_ history: [(count: Int, at: Int64)]) -> [Int64?] {
            var result: [Int64?] = []
            var position = 0
            for count in counts {
                while position < history.count && history[position].count < count { position += 1 }
                let kept = position > 0 || history.first.map { $0.count <= count } == true
                result.append(position < history.count && kept ? history[position].at : nil)
            }
            return result
        }
        let stages = [
            persons.map { registered[$0.digits] }, reaching(deltas), reaching(aggregates), reaching(records),
        ]
        let names = [
            "upstream → registration", "registration → delta (stage 1)", "delta → aggregate (stage 2)",
            "aggregate → record (stage 3)",
        ]
        return names.indices.map { hop in
            let values = (0..<sent.count).compactMap { index -> Double? in
                let start = hop == 0 ? sent[index] : stages[hop - 1][index]
                guard let start, let end = stages[hop][index] else { return nil }
                return Double(end - start)
            }
            return (names[hop], values.sorted())
        }
    }

    /// A dropout for high absence early in the current school year: one registration, no school-year roll-over.
    static func trigger(_ person: NationalID) throws -> EnrollmentDroppedOut {
        let today = LocalDate.today()
        return EnrollmentDroppedOut(
            personId: person, schoolYear: today.schoolYear, date: today.schoolYear.firstDay.adding(days: 30),
            reasonCode: .highAbsence)
    }

    static func message<P: PersonKeyedPayload>(_ payload: P) throws -> KafkaProducerMessage {
        KafkaProducerMessage(
            topic: P.topic.name, key: Array(payload.partitionKey.utf8),
            value: try CloudEvent(payload, source: "urn:vigo:benchmark").structuredJSON(),
            headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)])
    }

    /// Checks `condition` every 50 ms (a service's metrics cannot be awaited) for at most ten minutes.
    func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(600))
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { throw ValidationError("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func counter(_ name: String, in metrics: String) -> Int { Int(HTTPProbe.metricSum(name, in: metrics)) }

    static func seconds(_ duration: Duration) -> Double {
        duration / .seconds(1)
    }

    /// `cpuSeconds` over `seconds` of wall time, as a percentage of one core.
    static func share(_ cpuSeconds: Double, of seconds: Double) -> String {
        "\(Int((cpuSeconds / max(seconds, 0.001) * 100).rounded())) %"
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Int {
        sorted.isEmpty ? 0 : Int(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))])
    }
}

extension StatisticsBenchmark {
    /// A service's batches and publish delays from its `/metrics`: each histogram's count and sum, so that two
    /// readings give a phase's means.
    struct ServiceTimes: CustomStringConvertible {
        var batches: Double
        var batchSeconds: Double
        var deliveries: Double
        var delaySeconds: Double

        init(port: Int) async throws {
            let metrics = try await HTTPProbe.get(port: port, path: "/metrics").body
            batches = HTTPProbe.metricSum("ot_batch_duration_seconds_count", in: metrics)
            batchSeconds = HTTPProbe.metricSum("ot_batch_duration_seconds_sum", in: metrics)
            deliveries = HTTPProbe.metricSum("ot_outbox_publish_delay_seconds_count", in: metrics)
            delaySeconds = HTTPProbe.metricSum("ot_outbox_publish_delay_seconds_sum", in: metrics)
        }

        /// What happened after `earlier`.
        func since(_ earlier: Self) -> Self {
            var result = self
            result.batches -= earlier.batches
            result.batchSeconds -= earlier.batchSeconds
            result.deliveries -= earlier.deliveries
            result.delaySeconds -= earlier.delaySeconds
            return result
        }

        var description: String {
            func mean(_ seconds: Double, _ count: Double) -> String {
                String(format: "%.1f ms", seconds * 1000 / max(count, 1))
            }
            return "\(Int(batches)) batches, mean \(mean(batchSeconds, batches)) from receipt to commit; "
                + "outputs acknowledged by the broker a mean \(mean(delaySeconds, deliveries)) after their commit "
                + "(\(Int(deliveries)) relay rounds)"
        }
    }
}

/// The national `current` open count over time.
final class NationalWatcher: Sendable {
    private let state = Mutex<
        (open: Int, records: Int, last: ContinuousClock.Instant, history: [(Int, ContinuousClock.Instant)])
    >(
        (0, 0, .now, []))

    func record(open: Int, at instant: ContinuousClock.Instant) {
        state.withLock {
            $0.records += 1
            if open != $0.open { $0.last = instant }
            $0.open = open
            $0.history.append((open, instant))
        }
    }

    var open: Int { state.withLock { $0.open } }
    var records: Int { state.withLock { $0.records } }
    var lastChange: ContinuousClock.Instant { state.withLock { $0.last } }

    /// For each count in `counts`, the first time the national figure reached it.
    func firstReaching(_ counts: ClosedRange<Int>) -> [ContinuousClock.Instant] {
        let history = state.withLock { $0.history }
        var result: [ContinuousClock.Instant] = []
        var position = 0
        for count in counts {
            while position < history.count && history[position].0 < count { position += 1 }
            result.append(position < history.count ? history[position].1 : .now)
        }
        return result
    }
}
