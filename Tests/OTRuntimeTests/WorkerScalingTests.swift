import Foundation
import Kafka
import KafkaTesting
import OTContract
import OTRuntimeTesting
import TestTraits
import Testing

/// Instances joining, dying with their disks and coming back empty: the outputs stay exactly once, because a
/// partition's state moves with it through the changelog, never by reading the input again.
@Suite("Worker scaling: state moves with its partitions", .timeLimit(.minutes(5)), .tags(.processes), .needsBroker)
struct WorkerScalingTests {
    private func startWorker(_ kafka: EmbeddedKafka, _ directory: URL, instance: String) async throws -> ChildProcess {
        try await ChildProcess(
            executable: "ot-counting-worker",
            environment: [
                "KAFKA_BROKERS": kafka.configuration.bootstrapServers, "OT_DATA_DIR": directory.path,
                "OT_HTTP_PORT": "0", "OT_SESSION_TIMEOUT_MS": "6000", "OT_INSTANCE_ID": instance,
                // A restored partition that would have to read input it had processed before stops the worker.
                "OT_FORBID_INPUT_REWIND": "1",
                "OT_LOG_LEVEL": ProcessInfo.processInfo.environment["OT_LOG_LEVEL"] ?? "warning",
            ])
    }

    /// Every input's output exactly once, and per key the running counts 1...n each exactly once.
    private func expectExactlyOnce(_ kafka: EmbeddedKafka, inputs: Int, keys: Int) async throws {
        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        #expect(outputs.count == inputs, "output messages: \(outputs.count) for \(inputs) inputs")
        #expect(Set(outputs.map(\.inputID)).count == inputs, "an input was lost or published twice")
        var counts: [String: [Int]] = [:]
        for output in outputs { counts[output.key, default: []].append(output.count) }
        #expect(counts.count == keys)
        let perKey = inputs / keys
        let wrong = counts.filter { $0.value.sorted() != Array(1...perKey) }
        #expect(wrong.isEmpty, "keys counted wrong (lost, doubled or restarted): \(wrong.keys.sorted().prefix(5))")
    }

    /// The partitions whose store files are on `disk` (the database or its log), as the worker names them.
    private func storedPartitions(on disk: URL) -> Set<Int> {
        let files = FileManager.default.enumerator(atPath: disk.path)?.compactMap { $0 as? String } ?? []
        return Set(
            files.compactMap { path in
                let name = (path as NSString).lastPathComponent
                // The database and its log; a store's lock file (empty) stays when its files go.
                guard name.hasPrefix("partition-"), name.contains(".sqlite"), !name.hasSuffix(".lock") else {
                    return nil
                }
                return Int(name.dropFirst("partition-".count).prefix(3))
            })
    }

    /// Awaits each partition's store being on the disk of the member that owns it and on no other, once both own
    /// partitions: a partition that moved leaves nothing behind (what its new owner deletes, an erased person's
    /// rows among it, must not stay on the old disk).
    private func awaitStoresOnlyWithTheirOwner(_ diskA: URL, _ diskB: URL) async {
        var onA: Set<Int> = []
        var onB: Set<Int> = []
        do {
            try await poll("each partition's store on its owner's disk only", timeout: .seconds(60)) {
                onA = storedPartitions(on: diskA)
                onB = storedPartitions(on: diskB)
                return !onA.isEmpty && !onB.isEmpty && onA.isDisjoint(with: onB)
            }
        } catch {
            Issue.record("\(error): stores of a \(onA.sorted()), of b \(onB.sorted())")
        }
    }

    @Test("a member joins empty, one is killed and loses its disk and comes back empty: nothing lost or doubled")
    func joinKillAndLoseDisk() async throws {
        let kafka = try makeCountingKafka()
        let diskA = TemporaryDirectory()
        let diskB = TemporaryDirectory()
        defer {
            diskA.remove()
            diskB.remove()
        }
        let producer = try kafka.makeProducer()
        let output = CountingHandler.output.name
        let keys = 240
        // Each wave gives every key the same number of events; the ids differ in every wave.
        try await producer.sendAll(try countEvents(2_400, keys: keys, source: "urn:test:wave-1"))
        var a = try await startWorker(kafka, diskA.url, instance: "a")
        try await kafka.waitForMessages(in: output, count: 2_400, timeout: .seconds(90))

        let b = try await startWorker(kafka, diskB.url, instance: "b")
        try await producer.sendAll(try countEvents(2_400, keys: keys, source: "urn:test:wave-2"))
        try await kafka.waitForMessages(in: output, count: 4_800, timeout: .seconds(90))
        await awaitStoresOnlyWithTheirOwner(diskA.url, diskB.url)

        await a.kill()
        diskA.remove()
        a = try await startWorker(kafka, diskA.url, instance: "a")
        try await producer.sendAll(try countEvents(2_400, keys: keys, source: "urn:test:wave-3"))
        try await kafka.waitForMessages(in: output, count: 7_200, timeout: .seconds(90))
        await awaitStoresOnlyWithTheirOwner(diskA.url, diskB.url)

        #expect(await b.terminate() == 0)
        try await producer.sendAll(try countEvents(2_400, keys: keys, source: "urn:test:wave-4"))
        try await kafka.waitForMessages(in: output, count: 9_600, timeout: .seconds(90))
        #expect(await a.terminate() == 0)
        try await expectExactlyOnce(kafka, inputs: 9_600, keys: keys)
        await producer.shutdown()
    }
}
