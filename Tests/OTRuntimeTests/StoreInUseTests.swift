import Foundation
import GRDB
import KafkaTesting
import OTRuntime
import OTRuntimeTesting
import Synchronization
import TestTraits
import Testing

/// The restores a worker reported.
private final class Restores: Sendable {
    let summaries = Mutex<[RestoreSummary]>([])
}

@Suite(
    "A store is kept only when its worker released it; one left in use is restored from the changelog",
    .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct StoreInUseTests {
    @Test(
        "a graceful stop releases every store; a store left in use, with a commit the changelog never got, is restored and counting goes on exactly"
    )
    func leftInUseIsRestored() async throws {
        let kafka = try makeCountingKafka()
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let storeDirectory = directory.url
        let producer = try kafka.makeProducer()
        let keys = 24
        let restores = Restores()
        func start() -> InProcessWorker {
            InProcessWorker(
                kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
                handler: CountingHandler(), directory: directory.url
            ) { configuration in
                configuration.onRestored = { summary in restores.summaries.withLock { $0.append(summary) } }
            }
        }

        try await producer.sendAll(try countEvents(5 * keys, keys: keys))
        let first = start()
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(5 * keys))
        try await first.stop()
        let files = try FileManager.default.contentsOfDirectory(atPath: storeDirectory.path)
            .filter { $0.hasSuffix(".sqlite") }.sorted()
        #expect(!files.isEmpty)
        for file in files {
            let inUse = try await DatabaseQueue(path: storeDirectory.appendingPathComponent(file).path).read { db in
                try Int.fetchOne(db, sql: "SELECT in_use FROM ot_store_meta")
            }
            #expect(inUse == 0, "\(file) was not released by a graceful stop")
        }

        // One store as a killed worker leaves it: in use, with a committed change the changelog never got (and whose
        // outputs, in that worker's memory, are gone).
        var victim: (file: String, partition: Int32)?
        for file in files where victim == nil {
            let queue = try DatabaseQueue(path: storeDirectory.appendingPathComponent(file).path)
            let changed = try await queue.write { db -> Bool in
                try db.execute(sql: "UPDATE counts SET count = count + 100")
                guard db.changesCount > 0 else { return false }
                try db.execute(sql: "UPDATE ot_store_meta SET in_use = 1")
                return true
            }
            if changed { victim = (file, Int32(file.dropFirst("partition-".count).prefix(3))!) }
        }
        let left = try #require(victim)

        let second = start()
        try await producer.sendAll(try countEvents(keys, keys: keys))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(6 * keys))
        try await second.stop()

        let summaries = restores.summaries.withLock { $0 }
        #expect(summaries.map(\.partition) == [left.partition], "only the store left in use is restored")
        #expect(summaries.first?.reason.contains("left in use") == true)
        let counts = try storedCounts(in: storeDirectory)
        #expect(counts.count == keys)
        #expect(counts.values.allSatisfy { $0 == 6 }, "the unpublished change was kept, or a count was lost: \(counts)")
    }
}
