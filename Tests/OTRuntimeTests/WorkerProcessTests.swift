import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntimeTesting
import TestTraits
import Testing

@Suite("Worker as a process: SIGTERM and SIGKILL", .tags(.processes), .needsBroker, .timeLimit(.minutes(10)))
struct WorkerProcessTests {
    /// Starts the counting worker; `logging`, its log lines (at `info`) in the process's ``ChildProcess/lines``.
    private func startWorker(_ kafka: EmbeddedKafka, _ directory: URL, logging: Bool = false) async throws
        -> ChildProcess
    {
        try await ChildProcess(
            executable: "ot-counting-worker",
            environment: [
                "KAFKA_BROKERS": kafka.configuration.bootstrapServers, "OT_DATA_DIR": directory.path,
                "OT_HTTP_PORT": "0", "OT_SESSION_TIMEOUT_MS": "6000", "OT_INSTANCE_ID": "counting-1",
                "OT_LOG_LEVEL": logging ? "info" : ProcessInfo.processInfo.environment["OT_LOG_LEVEL"] ?? "warning",
            ], includingStandardError: logging)
    }

    @Test("a clean SIGTERM commits everything and exits 0; the restarted worker reprocesses nothing")
    func gracefulStop() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        try await producer.sendAll(try countEvents(500, keys: 50))

        let first = try await startWorker(kafka, directory.url)
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 500)
        #expect(await first.terminate() == 0)

        let second = try await startWorker(kafka, directory.url)
        try await producer.sendAll(try countEvents(1, keys: 1))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 501)
        #expect(await second.terminate() == 0)

        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        #expect(outputs.count == 501, "reprocessed after restart")
        #expect(
            try storedCounts(in: directory.url.appendingPathComponent(CountingHandler.service)).values.reduce(0, +)
                == 501)
        await producer.shutdown()
    }

    @Test("killed with SIGKILL at random points and restarted, every input has exactly one effect")
    func crashSafety() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        let total = 20_000
        try await producer.sendAll(try countEvents(total, keys: 500))
        var generator = SystemRandomNumberGenerator()
        let output = CountingHandler.output.name

        for round in 1...4 {
            // Kill once the worker is visibly mid-stream: it has published more than in the last round.
            let before = try await kafka.messageCount(of: output)
            guard before < Int64(total) else { break }  // the last round got through it all before its kill
            let worker = try await startWorker(kafka, directory.url)
            try await kafka.waitForMessages(in: output, count: before + 1, timeout: .seconds(60))
            let delay = Duration.milliseconds(Int.random(in: 0...400, using: &generator))
            try await Task.sleep(for: delay)  // the random kill point, not a wait for a condition
            await worker.kill()
            print("crash round \(round): killed after \(delay), output had \(try await kafka.messageCount(of: output))")
        }
        // Started: its SIGTERM handling is in place (a SIGTERM before that ends the process by the signal, 15). The
        // last round may have got through every input already, and then nothing else shows that it runs.
        let last = try await startWorker(kafka, directory.url, logging: true)
        try await withTimeout(.seconds(60), waitingFor: "the last worker to start") {
            for await line in last.lines where line.contains("worker started") { return }
        }
        try await kafka.waitForMessages(in: output, count: Int64(total), timeout: .seconds(120))
        #expect(await last.terminate() == 0)

        let outputs = try countedOutputs(try await kafka.readToEnd(output))
        #expect(outputs.count == total, "output messages: \(outputs.count) for \(total) inputs")
        #expect(Set(outputs.map(\.inputID)).count == total, "an input was lost or published twice")
        var maxCount: [String: Int] = [:]
        for output in outputs { maxCount[output.key] = max(maxCount[output.key] ?? 0, output.count) }
        #expect(maxCount.values.allSatisfy { $0 == total / 500 }, "a count was off")
        let stored = try storedCounts(in: directory.url.appendingPathComponent(CountingHandler.service))
        #expect(
            stored.count == 500 && stored.values.allSatisfy { $0 == total / 500 }, "stored state counted twice or lost")
        await producer.shutdown()
    }
}
