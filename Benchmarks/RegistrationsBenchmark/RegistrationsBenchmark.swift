import ArgumentParser
import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntimeTesting
import OTSimulation

/// `ot-registrations-benchmark`: the registrations service as a black box. Publishes the upstream events of a
/// simulated school year (`OTSimulation`: trigger mix near Udir's, about 35 % not applied, 30 % dropped out, 17 %
/// declined, the rest manual registrations or enrolled), runs `ot-registrations` as a process against the embedded
/// broker with its clock at the end of that school year, and prints events/s (from the service's own `/metrics`) and
/// its peak memory.
///
/// The case workers' commands of the simulation are left out: the service does not order its two input topics with
/// each other, so commands consumed together with the triggers they follow would be rejected and measure nothing
/// real (`otctl dev` publishes them in waves instead).
@main
struct RegistrationsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ot-registrations-benchmark",
        abstract: "Events/s and memory of ot-registrations on a realistic simulated stream.")

    @Option(help: "Synthetic youths (each gets person.updated and one to four more upstream events).")
    var youths: Int = 40_000

    @Option(help: "Seed of the simulated stream.")
    var seed: UInt64 = 2026

    @Option(
        help: """
            A Python with quixstreams (../shared/peers/README.md): then the Quix Streams peer runs on a fresh broker \
            with the same input, and its rate is printed beside ours as a ratio.
            """)
    var peerPython: String?

    @Option(help: "The peer's script.")
    var peerScript = "../shared/peers/quix_registrations.py"

    @Option(
        help: """
            Runs the service under valgrind's callgrind, writing its profile to this file, and prints the \
            instructions it executed per event: a figure that varies by well under 1 % between runs on a quiet \
            machine, to compare two builds by (make bench-instructions). Rates and memory mean nothing under \
            callgrind.
            """)
    var callgrind: String?

    func run() async throws {
        let topics = [
            Topic.enrollment, .registrationCommands, .registrations, .replies, .deadLetters(of: .registrations),
            .changelog(of: .registrations),
        ]
        let kafka = try EmbeddedKafka(brokers: 1, topics: topics.map(\.name))
        let schoolYear = SchoolYear(startYear: 2025)
        var upstream = try CohortSimulation(youths: youths, seed: seed, schoolYear: schoolYear).generate()
        upstream.events.removeAll { $0.topic != .enrollment }
        if let largest = upstream.largestPartition(), largest.bytes > 4 * 1024 * 1024 {
            throw ValidationError(
                "\(largest.topic) partition \(largest.partition) would hold \(largest.bytes / 1024) KiB; the embedded "
                    + "broker keeps at most 5 MiB per partition (docs/broker.md): use fewer youths")
        }
        let stream = upstream.messages
        let producer = try kafka.makeProducer()
        if callgrind == nil {
            print("publishing \(stream.count) upstream events for \(youths) synthetic youths…")
            try await producer.sendAll(stream)
            await producer.shutdown()
        }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ot-registrations-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = 18_081
        try await HTTPProbe.requireFree(port: port)
        var launch: (executable: String, arguments: [String])?
        if let callgrind {
            launch = try await Callgrind.launch(
                "ot-registrations", profile: callgrind, in: directory.appendingPathComponent("program"))
        }
        let service = try await ChildProcess(
            executable: launch?.executable ?? "ot-registrations", arguments: launch?.arguments ?? [],
            environment: [
                "KAFKA_BROKERS": kafka.configuration.bootstrapServers, "OT_DATA_DIR": directory.path,
                "OT_HTTP_PORT": "\(port)", "OT_LOG_LEVEL": "warning",
                // The end of the simulated school year: no 1 August roll-over between its events.
                "OT_CLOCK": "\(schoolYear.lastDay)T12:00:00.000Z",
            ])
        if callgrind != nil {
            // Under callgrind the service starts first, and its counts start again once it is ready: its start (new
            // stores and their migrations, joining the group) is not counted.
            try await waitUntilReady(service, port: port)
            try await Callgrind.zero(pid: service.pid)
            print(
                "publishing \(stream.count) upstream events for \(youths) synthetic youths to the service under callgrind…"
            )
            try await producer.sendAll(stream)
            await producer.shutdown()
        }
        // The rate counts the events committed after the first commit, over the time from that commit to the last:
        // the first commit's events were handled before it, in time not measured. The service's counts are read
        // every 10 ms (every second under callgrind), so either end is known to within that; memory every 100 ms.
        var started: ContinuousClock.Instant?
        var processedAtStart = 0
        var processed = 0
        var memorySampled: ContinuousClock.Instant?
        var finished: ContinuousClock.Instant?
        var peakKiB = 0
        // The split of the largest resident size sampled: the code mapped from files counts in it, too.
        var peakSample = (resident: 0, anonymous: 0, files: 0)
        // CPU time of the service, user and system, over the same events and time as the rate: steadier than the
        // rate on a busy machine, since time the service waits for a core does not count.
        var cpuAtStart = 0.0
        while processed < stream.count {
            // The sampling interval of the measurement; under callgrind each `/metrics` answer is counted too, and
            // the fewer there are, the less the count depends on how long the run took.
            try await Task.sleep(for: callgrind == nil ? .milliseconds(10) : .seconds(1))
            if memorySampled.map({ $0.duration(to: .now) >= .milliseconds(100) }) ?? true {
                memorySampled = .now
                let split = ProcessMemory.residentSplitKiB(of: service.pid)
                if split.anonymous + split.files > peakSample.resident {
                    peakSample = (split.anonymous + split.files, split.anonymous, split.files)
                }
                peakKiB = max(peakKiB, peakSample.resident)
            }
            // Before the probe: a service that died before it ever answered would otherwise be waited for forever.
            guard service.isRunning else { throw ValidationError("ot-registrations exited") }
            let asked = ContinuousClock.now
            guard let metrics = try? await HTTPProbe.get(port: port, path: "/metrics").body else { continue }
            processed =
                counter("ot_events_processed_total", in: metrics)
                + counter("ot_events_dead_lettered_total", in: metrics)
            if processed > 0, started == nil {
                started = asked
                processedAtStart = processed
                cpuAtStart = ProcessCPU.seconds(of: service.pid)
            }
            if processed >= stream.count { finished = asked }
        }
        let elapsed = started!.duration(to: finished!)
        let measured = stream.count - processedAtStart
        guard callgrind != nil || (measured > 0 && elapsed > .zero) else {
            throw ValidationError(
                "every event was committed within one reading of the service's counts: use more youths")
        }
        let seconds = elapsed / .seconds(1)
        let metrics = try await HTTPProbe.get(port: port, path: "/metrics").body
        let cpu = ProcessCPU.seconds(of: service.pid) - cpuAtStart
        #if canImport(Glibc)
            peakKiB = max(peakKiB, ProcessMemory.peakKiB(of: service.pid))
        #endif
        _ = await service.terminate()
        // Counted on the topic once the service has stopped: the relay publishes the last batches' registration
        // events after their commit, and a stopping service publishes what is left.
        let registrationEvents = try await records(on: Topic.registrations.name, in: kafka)
        let changelogRecords = try await records(on: Topic.changelog(of: .registrations).name, in: kafka)
        print("")
        print("events              \(stream.count) (\(youths) youths)")
        print("registrations       \(registrationEvents) events published")
        print(
            "changelog           \(changelogRecords) records, "
                + String(format: "%.2f", Double(changelogRecords) / Double(stream.count)) + " per event")
        print("dead-lettered       \(counter("ot_events_dead_lettered_total", in: metrics))")
        let batches = max(1, counter("ot_batch_duration_seconds_count", in: metrics))
        if let callgrind {
            // Under callgrind the times, rates and memory are valgrind's, not the service's.
            let instructions = try Callgrind.instructions(in: callgrind)
            print("batches             \(batches), mean \(stream.count / batches) events")
            print(
                "instructions        \(BenchmarkTarget.grouped(instructions)), "
                    + "\(BenchmarkTarget.grouped(instructions / stream.count)) per event (callgrind: every thread of the "
                    + "service from the moment it was ready to its exit; profile in \(callgrind))")
            return
        }
        print(
            "cpu                 \(Int(cpu * 1e6 / Double(measured))) µs per event (user and system, "
                + "\(String(format: "%.2f", cpu)) s in all)")
        print(
            "throughput          \(Int(Double(measured) / seconds)) events/s (the \(measured) events committed "
                + "after the first commit, which held \(processedAtStart), over the \(Int(seconds * 1000)) ms from it "
                + "to the last)")
        let batchSeconds = Double(counter("ot_batch_duration_seconds_sum", in: metrics))
        print(
            "batches             \(batches), mean \(stream.count / batches) events, \(Int(batchSeconds * 1000) / batches) ms each"
        )
        print("peak memory         \(peakKiB / 1024) MiB (VmHWM of the service process)")
        print("librdkafka          \(Self.librdkafka(in: metrics)) (the service's, from ot_build_info)")
        print(
            "  largest sample     \(peakSample.resident / 1024) MiB: \(peakSample.anonymous / 1024) MiB anonymous (heap, "
                + "stacks), \(peakSample.files / 1024) MiB mapped from files (code and libraries)")
        let rate = Int(Double(measured) / seconds)
        var peerRate: Int?
        if let peerPython { peerRate = try await self.peerRate(python: peerPython, stream: stream) }
        BenchmarkTarget.report(
            "ot-registrations, \(BenchmarkTarget.grouped(stream.count)) upstream events of \(BenchmarkTarget.grouped(youths)) youths",
            measured: "\(BenchmarkTarget.grouped(rate)) events/s", target: "≥ 100,000 events/s", met: rate >= 100_000,
            peer: peerRate.map { "\(BenchmarkTarget.grouped($0)) events/s (Quix Streams)" } ?? "")
        if let peerRate {
            let ratio = Double(rate) / Double(peerRate)
            BenchmarkTarget.report(
                "ot-registrations against the Quix Streams peer, same input, one after the other",
                measured: String(format: "%.2f×", ratio), target: "≥ 4×", met: ratio >= 4)
        }
        BenchmarkTarget.report(
            "ot-registrations, peak memory at \(BenchmarkTarget.grouped(youths)) youths",
            measured: "\(peakKiB / 1024) MiB", target: "≤ 100 MiB (at 50,000 youths)", met: peakKiB <= 100 * 1024)
    }

    /// Waits until the service answers `/health/ready` (its partitions assigned and their stores open).
    private func waitUntilReady(_ service: ChildProcess, port: Int) async throws {
        while (try? await HTTPProbe.get(port: port, path: "/health/ready", timeout: .seconds(2)).status) != 200 {
            guard service.isRunning else { throw ValidationError("ot-registrations exited") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Runs the Quix Streams peer on a broker of its own holding the same input, and returns the input events/s it
    /// prints once it has read them all.
    private func peerRate(python: String, stream: [KafkaProducerMessage]) async throws -> Int {
        let kafka = try EmbeddedKafka(brokers: 1, topics: [Topic.enrollment.name, "peer.registrations.v1"])
        let producer = try kafka.makeProducer()
        try await producer.sendAll(stream)
        await producer.shutdown()
        print("running the Quix Streams peer on the same input…")
        let peer = try await ChildProcess(
            executable: python, arguments: [peerScript, kafka.configuration.bootstrapServers, "\(stream.count)"])
        defer { Task { await peer.kill() } }
        let prefix = "peer quix registrations: "
        for await line in peer.lines where line.hasPrefix(prefix) {
            let figure = line.dropFirst(prefix.count).prefix { $0.isNumber }
            if let rate = Int(figure) {
                print(line)
                _ = await peer.terminate()
                return rate
            }
        }
        throw ValidationError("the peer ended without printing its rate (exit status \(await peer.waitForExit()))")
    }

    /// How many records were ever written to a topic: the sum of its partitions' high watermarks, which also counts
    /// what the development broker dropped past 5 MiB per partition (``EmbeddedKafka/messageCount(of:)`` counts
    /// only what it still holds).
    private func records(on topic: String, in kafka: EmbeddedKafka) async throws -> Int {
        let consumer = try kafka.makeConsumer(groupID: "ot-registrations-benchmark-watermarks")
        var total: Int64 = 0
        for partition in 0..<kafka.partitions {
            total += try await consumer.watermarks(of: KafkaTopicPartition(topic: topic, partition: partition)).high
        }
        await consumer.close()
        return Int(total)
    }

    private func counter(_ name: String, in metrics: String) -> Int { Int(HTTPProbe.metricSum(name, in: metrics)) }

    /// The `librdkafka` label of the service's `ot_build_info`: the consumer's prefetch, so its memory, depends on it.
    private static func librdkafka(in metrics: String) -> String {
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("ot_build_info{") } ?? ""
        guard let start = line.range(of: #"librdkafka=""#)?.upperBound,
            let end = line[start...].firstIndex(of: "\"")
        else { return "unknown" }
        return String(line[start..<end])
    }
}
