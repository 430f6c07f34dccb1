import Foundation
import GRDB
import KafkaTesting
import OTRuntime
import OTRuntimeTesting
import OTStore
import TestTraits
import Testing

/// The counting handler of a later release: its store has one more column, filled by the migration that adds it
/// (twice the count) and kept up to date by the handler.
private struct DoublingCountingHandler: WorkerHandler {
    let base = CountingHandler()

    var migrations: StoreMigrations {
        var migrations = base.migrations
        migrations.register("counting-2-doubled") { db in
            try db.execute(sql: "ALTER TABLE counts ADD COLUMN doubled INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: "UPDATE counts SET doubled = count * 2")
        }
        return migrations
    }

    func handle(_ event: InboundEvent, context: HandlerContext) throws {
        try base.handle(event, context: context)
        try context.database.execute(
            sql: "UPDATE counts SET doubled = count * 2 WHERE key = ?", arguments: [event.key ?? ""])
    }
}

@Suite(
    "Changelog across a store migration: a restore runs the later migrations over older rows",
    .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct ChangelogSchemaTests {
    @Test(
        "a release that adds a column restores the older release's changelog on an empty disk and goes on; the older release refuses the newer changelog"
    )
    func upgradeAndRefusedDowngrade() async throws {
        let kafka = try makeCountingKafka()
        let directories = [TemporaryDirectory(), TemporaryDirectory(), TemporaryDirectory()]
        defer { for directory in directories { directory.remove() } }
        let producer = try kafka.makeProducer()
        let keys = 30

        // The older release counts ten events per key.
        try await producer.sendAll(try countEvents(10 * keys, keys: keys))
        let older = startCountingWorker(kafka: kafka, directory: directories[0].url)
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(10 * keys))
        try await older.stop()

        // The newer release starts on an empty disk: every partition is restored from the older release's changelog.
        // Then one more event for each of the first half of the keys.
        let newer = InProcessWorker(
            kafka: kafka, service: CountingHandler.service, inputTopics: [CountingHandler.input.name],
            handler: DoublingCountingHandler(), directory: directories[1].url)
        try await producer.sendAll(Array(try countEvents(keys, keys: keys).prefix(keys / 2)))
        try await kafka.waitForMessages(in: CountingHandler.output.name, count: Int64(10 * keys + keys / 2))
        try await newer.stop()

        // Counting went on from ten: no key started again, none counted twice.
        let outputs = try countedOutputs(try await kafka.readToEnd(CountingHandler.output.name))
        for key in 0..<keys {
            let expected = key < keys / 2 ? Array(1...11) : Array(1...10)
            #expect(outputs.filter { $0.key == "key-\(key)" }.map(\.count).sorted() == expected, "key-\(key)")
        }
        // The new column: filled by the migration over the restored rows (2 × 10), and by the handler after it
        // (2 × 11).
        var stored: [String: (count: Int, doubled: Int)] = [:]
        let files = try FileManager.default.contentsOfDirectory(atPath: directories[1].url.path)
        for file in files where file.hasSuffix(".sqlite") {
            let queue = try DatabaseQueue(path: directories[1].url.appendingPathComponent(file).path)
            for row in try queue.read({ try Row.fetchAll($0, sql: "SELECT key, count, doubled FROM counts") }) {
                stored[row["key"]] = (row["count"], row["doubled"])
            }
        }
        #expect(stored.count == keys)
        for key in 0..<keys {
            let count = key < keys / 2 ? 11 : 10
            #expect(stored["key-\(key)"].map { [$0.count, $0.doubled] } == [count, 2 * count], "key-\(key)")
        }

        // The older release cannot go back to a changelog the newer one wrote: it stops and says why.
        let downgraded = startCountingWorker(kafka: kafka, directory: directories[2].url)
        await #expect {
            try await withTimeout(.seconds(60), waitingFor: "the older release to stop") {
                try await downgraded.waitForExit()
            }
        } throws: { error in
            "\(error)".contains("cannot be restored by this release")
                && "\(error)".contains(".2 (runtime.service migrations)")
        }
        try? await downgraded.stop()
        await producer.shutdown()
    }
}
