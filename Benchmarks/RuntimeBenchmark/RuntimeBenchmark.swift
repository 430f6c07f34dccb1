import ArgumentParser
import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntime
import OTRuntimeTesting
import Synchronization

/// `ot-runtime-benchmark`: drives the worker runtime with ``CountingHandler`` (a count per key, committed durably
/// to SQLite) through the development broker (in a process of its own), and prints events/s and batch latency
/// beside the raw consume rate of the Kafka wrapper on the same data in the same run.
@main
struct RuntimeBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ot-runtime-benchmark",
        abstract: "Events/s and batch latency of the worker runtime against the raw consume rate.")

    @Option(help: "Input events.")
    var events: Int = 200_000

    @Option(help: "Distinct keys.")
    var keys: Int = 10_000

    @Option(help: "Partitions of the input topic (keep events*~250 B per partition under the mock's 5 MiB).")
    var partitions: Int32 = 24

    @Flag(help: "Emit one output event per input (through the outbox and the relay).")
    var emit = false

    @Option(help: "The worker's largest batch (messages).")
    var batchSize: Int = WorkerConfiguration.defaultMaxBatchSize

    @Flag(help: "Decode each payload into its typed struct (the counting handler needs only the key).")
    var decodePayload = false

    @Flag(help: "Then restore every partition into an empty folder from the changelog and print records/s.")
    var restore = false

    @Option(
        help: """
            Rounds of --events fresh events through the same stores, each round's rate printed: a long-lived store \
            against a fresh one (the mock broker drops what the rounds before consumed, past 5 MiB per partition).
            """)
    var rounds: Int = 1

    func validate() throws {
        guard rounds >= 1, rounds == 1 || !restore else {
            throw ValidationError("--rounds: 1 or more, without --restore")
        }
        guard Double(events) * 260 / Double(partitions) < 4.5 * 1_048_576 else {
            throw ValidationError(
                "about 260 B per event: \(events) events over \(partitions) partitions exceed the mock broker's 5 MiB per partition"
            )
        }
        // The changelog holds per event a share of its transaction's de-duplication record and of the count's row
        // (at most about 300 B), with --emit also the output's outbox row and its tombstone (about 950 B in all,
        // measured). Beyond 5 MiB the development broker drops a partition's first records, and a restore of what
        // is left is partial.
        let changelogBytes = Double(events) * (emit ? 950 : 300) / Double(partitions)
        guard !restore || changelogBytes < 4.5 * 1_048_576 else {
            throw ValidationError(
                "--restore: the changelog would hold about \(Int(changelogBytes / 1_048_576)) MiB per partition, over the mock broker's 5 MiB (it drops the first records): use fewer events or more partitions"
            )
        }
    }

    func run() async throws {
        // The development broker in a process of its own, as the services meet it: this process's CPU time and
        // peak memory are then the worker's and its clients', not the broker's too, which holds every message
        // produced (with --emit also the outputs and their changelog records, about 1 KiB per event in all).
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ot-bench-broker-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kafka = try await DevBrokerProcess(
            dataDirectory: directory,
            arguments: ["--partitions", "\(partitions)"] + CountingHandler.topics.flatMap { ["--topic", $0] })
        do {
            try await measure(kafka)
        } catch {
            await kafka.stop()
            throw error
        }
        await kafka.stop()
    }

    private func measure(_ kafka: DevBrokerProcess) async throws {
        if rounds > 1 { return try await longLivedRates(kafka) }
        print("producing \(events) input events over \(keys) keys and \(partitions) partitions…")
        try await produceInputs(kafka)

        let raw = try await rawConsumeRate(kafka)
        // The peak from here on is the runtime's: the inputs built above and the raw consumer are gone, and the
        // pages they used go back to the kernel now rather than a second later (jemalloc's decay), so that they do not
        // count as the runtime's (133 MiB resident at this point before, 38 MiB after).
        ProcessAllocator.returnFreedPages()
        ProcessMemory.resetPeak()
        let runtime = try await runtimeRate(kafka)
        let peak = ProcessMemory.peakKiB() / 1024

        let latencies = runtime.batches.map(\.duration).sorted()
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            let duration = latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
            return duration / .milliseconds(1)
        }
        let ratio = runtime.rate / raw
        print("")
        print(
            "events                      \(events) (\(emit ? "one output each, through the outbox" : "no output")\(decodePayload ? ", payloads decoded" : ""))"
        )
        print("raw consume (wrapper)       \(Int(raw)) msgs/s")
        print("librdkafka                  \(KafkaConfiguration.librdkafkaVersion)")
        print(
            "runtime, durable commits    \(Int(runtime.rate)) events/s  (\(String(format: "%.0f", ratio * 100)) % of raw)"
        )
        print(
            "process CPU, runtime phase  \(String(format: "%.2f", runtime.cpuSeconds)) s, \(String(format: "%.1f", runtime.cpuSeconds / Double(events) * 1e6)) µs per event"
        )
        print("batches                     \(latencies.count), mean \(events / max(1, latencies.count)) events")
        print(
            "batch latency               p50 \(String(format: "%.1f", percentile(0.5))) ms, p99 \(String(format: "%.1f", percentile(0.99))) ms"
        )
        print("peak memory, runtime phase  \(peak) MiB (VmHWM; the broker runs in a process of its own)")
        let rate = Int(runtime.rate)
        if emit {
            let figure = "runtime, one output per event (--emit\(decodePayload ? " --decode-payload" : ""))"
            BenchmarkTarget.report(
                figure, measured: "\(BenchmarkTarget.grouped(rate)) events/s", target: "≥ 150,000 events/s",
                met: rate >= 150_000)
            BenchmarkTarget.report(
                figure + ", peak memory (worker and clients; the broker in its own process)",
                measured: "\(peak) MiB", target: "≤ 150 MiB", met: peak <= 150)
        } else {
            BenchmarkTarget.report(
                "runtime, no output\(decodePayload ? " (--decode-payload)" : "")",
                measured: "\(BenchmarkTarget.grouped(rate)) events/s", target: "≥ 100,000 events/s",
                met: rate >= 100_000)
        }
        BenchmarkTarget.report(
            "runtime against the wrapper's raw consume rate", measured: "\(Int(ratio * 100)) %", target: "≥ 50 %",
            met: ratio >= 0.5)
        if restore { try await restoreRate(kafka) }
    }

    /// A worker running ``CountingHandler`` with this run's options on `directory`, calling `onBatchCommitted` after
    /// each commit.
    private func countingWorker(
        _ kafka: DevBrokerProcess, directory: URL, onBatchCommitted: @escaping @Sendable (BatchSummary) -> Void
    ) -> InProcessWorker {
        InProcessWorker(
            broker: kafka.configuration, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
            handler: CountingHandler(emits: emit, decodesPayload: decodePayload), directory: directory
        ) { configuration in
            configuration.maxBatchSize = batchSize
            configuration.onBatchCommitted = onBatchCommitted
        }
    }

    /// Produces `events` input events, each with a new id, over `keys` keys.
    private func produceInputs(_ kafka: DevBrokerProcess) async throws {
        let producer = try kafka.makeProducer()
        let inputs = try (0..<events).map { index in
            KafkaProducerMessage(
                topic: CountingHandler.input.name, key: Array("key-\(index % keys)".utf8),
                value: try CloudEvent(Count(), source: "urn:benchmark").structuredJSON(),
                headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)])
        }
        try await producer.sendAll(inputs)
        await producer.shutdown()
    }

    /// One worker through `rounds` rounds of `events` fresh events: the first round's stores are new, the last
    /// round's hold every round's de-duplication records (all within the de-duplication window).
    ///
    /// A round's rate is the worker's on the backlog its production left: the events committed from the first commit
    /// after the producer finished to the round's last commit, over that time. While the round is produced the worker
    /// reads each event as it arrives, and the producer (in this process) and the broker share the two cores with it:
    /// the rate over the whole round followed the producer's pace (0.7–1.3 s a round, measured 2026-12-07), not the
    /// store's. That rate is printed too.
    private func longLivedRates(_ kafka: DevBrokerProcess) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ot-long-lived-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        // The round's commits: when each ended, and the events committed in the round by then; the first batch's
        // start.
        struct Round {
            var first: ContinuousClock.Instant?
            var commits: [(at: ContinuousClock.Instant, done: Int)] = []
            var done: Int { commits.last?.done ?? 0 }
        }
        let round = Mutex(Round())
        let (commits, commit) = AsyncStream.makeStream(of: Int.self)
        let worker = countingWorker(kafka, directory: directory) { summary in
            let now = ContinuousClock.now
            commit.yield(
                round.withLock { round in
                    if round.first == nil { round.first = now - summary.duration }
                    round.commits.append((now, round.done + summary.messages))
                    return round.done
                })
        }
        var rates: [Double] = []
        var commitsIterator = commits.makeAsyncIterator()
        // Every round's inputs, the first's too, are produced once the worker has its partitions and waits: a round
        // produced before the worker started was fetched whole while the group formed, and measured a third faster
        // than the same work read as it arrives (each later round).
        try await worker.worker.waitUntilReady()
        for number in 1...rounds {
            print("producing round \(number): \(events) input events over \(keys) keys and \(partitions) partitions…")
            let producing = ContinuousClock.now
            try await produceInputs(kafka)
            let produced = ContinuousClock.now
            // The worker reads a round's inputs as they come: what it committed while they were produced.
            print(
                "produced in \(String(format: "%.2f", seconds(producing.duration(to: produced)))) s, "
                    + "\(round.withLock { $0.done }) of them committed meanwhile")
            // The process's CPU time from here on is the worker's (the broker runs in its own process): per event
            // it tells a store that does more work from one that waits more.
            let cpuAtStart = processCPUSeconds()
            while let done = await commitsIterator.next(), done < events {}
            let cpu = processCPUSeconds() - cpuAtStart
            let finished = round.withLock { round in
                defer { round = Round() }
                return round
            }
            let last = finished.commits.last!
            let whole = Double(events) / seconds(last.at - finished.first!)
            // From the first commit after production (its batch may have begun before) to the last; the whole round
            // when the worker kept up with the producer and left no backlog worth the name.
            let measuredOn: String
            if let backlog = finished.commits.first(where: { $0.at >= produced }),
                last.done - backlog.done >= events / 10
            {
                rates.append(Double(last.done - backlog.done) / seconds(last.at - backlog.at))
                measuredOn = "on the backlog of \(last.done - backlog.done) events"
            } else {
                rates.append(whole)
                measuredOn = "over the whole round (the worker kept up with the producer)"
            }
            print(
                "round \(number)                     \(Int(rates.last!)) events/s \(measuredOn) "
                    + "after \((number - 1) * events) events, "
                    + "\(String(format: "%.1f", cpu / Double(events) * 1e6)) µs of CPU per event; "
                    + "\(Int(whole)) events/s over the whole round"
            )
        }
        try await worker.stop()
        commit.finish()
        let ratio = rates.last! / rates.first!
        BenchmarkTarget.report(
            "a long-lived store: round \(rounds) (after \(BenchmarkTarget.grouped((rounds - 1) * events)) events) "
                + "against round 1 (fresh stores), \(BenchmarkTarget.grouped(events)) events each",
            measured: "\(Int(ratio * 100)) % (\(BenchmarkTarget.grouped(Int(rates.last!))) against "
                + "\(BenchmarkTarget.grouped(Int(rates.first!))) events/s)",
            target: "≥ 80 %", met: ratio >= 0.8)
    }

    /// Starts a worker on an empty folder: every partition is restored from the changelog the run above wrote.
    private func restoreRate(_ kafka: DevBrokerProcess) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ot-restore-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let restores = Mutex<[RestoreSummary]>([])
        let (finished, finish) = AsyncStream.makeStream(of: Void.self)
        let partitions = Int(self.partitions)
        let worker = InProcessWorker(
            broker: kafka.configuration, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
            handler: CountingHandler(emits: emit, decodesPayload: decodePayload), directory: directory
        ) { configuration in
            configuration.onRestored = { summary in
                if restores.withLock({
                    $0.append(summary); return $0.count
                }) == partitions {
                    finish.finish()
                }
            }
        }
        for await _ in finished {}
        try await worker.stop()
        let summaries = restores.withLock { $0 }
        let records = summaries.reduce(0) { $0 + $1.records }
        let busy = summaries.reduce(0.0) { $0 + seconds($1.duration) }
        let perPartition = summaries.map { Double($0.records) / max(seconds($0.duration), 1e-9) }.sorted()
        print("")
        print(
            "restore from the changelog  \(summaries.count) partitions, \(records) records in \(String(format: "%.2f", busy)) s of restoring"
        )
        print(
            "restore rate                \(Int(Double(records) / busy)) records/s overall; per partition median \(Int(perPartition[perPartition.count / 2])), slowest \(Int(perPartition.first ?? 0))"
        )
        // A record is a row's last state, and a de-duplication row holds up to 512 events: records per second fell
        // when those rows went from one per event to one per transaction (2026-12-07), while a restore of the same
        // state took half the time. What the restore stands for is the input whose state it rebuilds.
        print(
            "restored state             \(events) processed events' state, \(Int(Double(events) / busy)) events/s of restoring"
        )
        BenchmarkTarget.report(
            "restore from the changelog, per partition (\(BenchmarkTarget.grouped(records)) records\(emit ? ", --emit" : ""))",
            measured: "\(BenchmarkTarget.grouped(Int(Double(records) / busy))) records/s",
            target: "≥ 200,000 records/s", met: Double(records) / busy >= 200_000)
    }

    /// Reads the whole input topic through the wrapper, touching every value.
    private func rawConsumeRate(_ kafka: DevBrokerProcess) async throws -> Double {
        let consumer = try kafka.makeConsumer(groupID: "raw")
        let started = ContinuousClock.now
        try await consumer.assign(
            (0..<partitions).map { .init(topic: CountingHandler.input.name, partition: $0, offset: -2) })
        var count = 0
        var bytes = 0
        for try await event in consumer.events {
            guard case .messages(let batch) = event else { continue }
            count += batch.count
            for message in batch { bytes += message.value?.count ?? 0 }
            if count >= events { break }
        }
        let seconds = seconds(started.duration(to: .now))
        await consumer.close()
        precondition(bytes > 0)
        return Double(count) / seconds
    }

    private struct RuntimeResult {
        var rate: Double
        var batches: [BatchSummary]
        /// The whole process's CPU time (user and system, every thread: the worker and its clients; the broker
        /// runs in a process of its own) from the worker's start to its last commit.
        var cpuSeconds: Double
    }

    /// Runs a worker until it has committed every input; the clock runs from the first batch to the last commit,
    /// so the group join does not count.
    private func runtimeRate(_ kafka: DevBrokerProcess) async throws -> RuntimeResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ot-runtime-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = Mutex<
            (first: ContinuousClock.Instant?, last: ContinuousClock.Instant?, batches: [BatchSummary], done: Int)
        >(
            (nil, nil, [], 0))
        let (finished, finish) = AsyncStream.makeStream(of: Void.self)
        let total = events
        let cpuBefore = processCPUSeconds()
        let worker = countingWorker(kafka, directory: directory) { summary in
            let now = ContinuousClock.now
            let complete = state.withLock { state in
                if state.first == nil { state.first = now - summary.duration }
                state.last = now
                state.batches.append(summary)
                state.done += summary.messages
                return state.done >= total
            }
            if complete { finish.finish() }
        }
        for await _ in finished {}
        let cpuSeconds = processCPUSeconds() - cpuBefore
        try await worker.stop()
        let (first, last, batches, _) = state.withLock { $0 }
        return RuntimeResult(rate: Double(total) / seconds(last! - first!), batches: batches, cpuSeconds: cpuSeconds)
    }

    private func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private func seconds(_ duration: Duration) -> Double {
        duration / .seconds(1)
    }
}
