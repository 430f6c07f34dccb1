import Foundation
import GRDB
import Kafka
import KafkaTesting
import OTContract
import OTRuntime
import OTRuntimeTesting
import OTStore
import Synchronization
import TestTraits
import Testing

/// Counts as ``CountingHandler`` does, except while `full` is on: then every write fails as SQLite's does when the
/// disk is full (`SQLITE_FULL`), inside the worker's transaction.
private final class FillingDiskHandler: WorkerHandler {
    let counting = CountingHandler()
    let full = Mutex(false)

    var migrations: StoreMigrations { counting.migrations }

    func handle(_ event: InboundEvent, context: HandlerContext) throws {
        if full.withLock({ $0 }) {
            throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full")
        }
        try counting.handle(event, context: context)
    }
}

@Suite("A full disk", .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct StoreFullTests {
    @Test(
        "while a store cannot write, its batch waits and is retried, the worker reports the store failing and dead-letters nothing; once it can, every event counts once"
    )
    func diskFull() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let producer = try kafka.makeProducer()
        let handler = FillingDiskHandler()
        let worker = InProcessWorker(
            kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
            handler: handler, directory: directory.url)

        try await producer.sendAll(try countEvents(40, keys: 4))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 40)
        handler.full.withLock { $0 = true }
        try await producer.sendAll(try countEvents(40, keys: 4))
        // What a load balancer sees: the readiness endpoint names the failing store (it has no push form).
        let reason = try await eventually(
            "the worker to report a failing store", every: .milliseconds(20), timeout: .seconds(60)
        ) {
            let (status, body) = try await worker.get("/health/ready")
            return status == 503 && body.contains("is failing") ? body : nil
        }
        #expect(reason.contains("the store of partition"), "\(reason)")
        let (_, metrics) = try await worker.get("/metrics")
        #expect(HTTPProbe.metricSum("ot_events_dead_lettered_total", in: metrics) == 0, "\(metrics)")

        handler.full.withLock { $0 = false }
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: 80)
        try await worker.worker.waitUntilReady()
        try await worker.stop()
        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        #expect(outputs.count == 80)
        for key in 0..<4 {
            #expect(outputs.filter { $0.key == "key-\(key)" }.map(\.count).sorted() == Array(1...20))
        }
        #expect(try await kafka.readToEnd("\(CountingHandler.service).dlq.v1").isEmpty)
        await producer.shutdown()
    }
}
