import Foundation
import GRDB
import Kafka
import KafkaTesting
import OTRuntimeTesting
import Synchronization
import TestTraits
import Testing

@testable import OTRuntime

/// The restores a worker reported.
private final class Restores: Sendable {
    let summaries = Mutex<[RestoreSummary]>([])
}

@Suite(
    "A store is kept only when its worker released it and published last; any other is restored from the changelog",
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

    @Test(
        "a released store is restored when another store published a round after it (A → B → A), or rows follow its last round that no marker closes; otherwise kept"
    )
    func publishedAfterIsRestored() async throws {
        let kafka = try makeCountingKafka()
        let diskA = TemporaryDirectory()
        let diskB = TemporaryDirectory()
        defer {
            diskA.remove()
            diskB.remove()
        }
        let producer = try kafka.makeProducer()
        let keys = 24
        func start(_ disk: TemporaryDirectory, _ restores: Restores) -> InProcessWorker {
            InProcessWorker(
                kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
                handler: CountingHandler(), directory: disk.url
            ) { configuration in
                configuration.onRestored = { summary in restores.summaries.withLock { $0.append(summary) } }
            }
        }
        /// Counts one round of `perKey` events per key with a worker on `disk`; returns the restores it reported.
        func count(_ perKey: Int, total: Int, on disk: TemporaryDirectory) async throws -> [RestoreSummary] {
            let restores = Restores()
            let worker = start(disk, restores)
            try await producer.sendAll(try countEvents(perKey * keys, keys: keys))
            try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(total * keys))
            try await worker.stop()
            return restores.summaries.withLock { $0 }
        }
        let published = "another store published to the changelog after this one"

        _ = try await count(5, total: 5, on: diskA)
        let partitionsA = try FileManager.default.contentsOfDirectory(atPath: diskA.url.path)
            .filter { $0.hasSuffix(".sqlite") }.map { Int32($0.dropFirst("partition-".count).prefix(3))! }.sorted()
        #expect(!partitionsA.isEmpty)

        // B, on an empty disk, restores every partition and publishes its own rounds (rows, then a marker naming B).
        let restoresB = try await count(1, total: 6, on: diskB)
        #expect(restoresB.map(\.partition).sorted() == partitionsA)

        // A's files are older copies: every one is restored, none kept.
        let restoresA = try await count(1, total: 7, on: diskA)
        #expect(restoresA.map(\.partition).sorted() == partitionsA)
        #expect(restoresA.allSatisfy { $0.reason == published }, "\(restoresA.map(\.reason))")

        // A row's record after A's last round that no marker closes, as a store that stopped in the middle of a
        // round leaves it: that partition alone is restored; the row is not applied (no such key is counted).
        let partition = partitionsA[0]
        try await producer.sendAll([
            KafkaProducerMessage(
                topic: "\(CountingHandler.service).changelog.v1",
                key: ChangelogRecord.key(table: "counts", rowKey: #"["key-unclosed"]"#), value: [0, 0],
                headers: [KafkaHeader(name: StoreSchema.header, string: "1.1")], partition: partition)
        ])
        let restoresAgain = try await count(1, total: 8, on: diskA)
        #expect(restoresAgain.map(\.partition) == [partition])
        #expect(restoresAgain.map(\.reason) == [published])

        let counts = try storedCounts(in: diskA.url)
        #expect(counts.count == keys, "\(counts.keys.sorted())")
        #expect(counts.values.allSatisfy { $0 == 8 }, "a count was lost, doubled or restarted: \(counts)")
        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        for key in 0..<keys {
            #expect(outputs.filter { $0.key == "key-\(key)" }.map(\.count).sorted() == Array(1...8), "key-\(key)")
        }
        await producer.shutdown()
    }
}
