import Foundation
import GRDB
import KafkaTesting
import Logging
import OTRuntimeTesting
import OTStore
import Synchronization
import Testing

@testable import OTRuntime

/// A store's work at the end of its transactions runs through one observer for the life of its writer connection.
@Suite("The work a store does when a transaction ends", .timeLimit(.minutes(2)))
struct TransactionHooksTests {
    private let logger = Logger(label: "transaction-hooks-test")

    @Test("a statement that deletes stays prepared from one transaction to the next, while hooks come and go")
    func statementsStayPrepared() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try PartitionStore(
            partition: 0, directory: directory.url, serviceMigrations: StoreMigrations(), logger: logger)
        defer { try? store.close() }
        let sql = "DELETE FROM ot_processed_batches WHERE rowid = ?"
        // Each write records an event (the index's work at commit) and a change to publish (the relay's).
        func write(_ id: String) async throws -> ObjectIdentifier {
            try await store.write { [processedEvents = store.processedEvents] db in
                _ = try processedEvents.firstSeen(source: "urn:test", id: id, processedAt: 1, db: db)
                return ObjectIdentifier(try db.cachedStatement(sql: sql))
            }
        }
        let first = try await write("a")
        let second = try await write("b")
        // GRDB's `afterNextTransaction` would have dropped it from the cache at the first commit: compiled again.
        #expect(first == second)
        let published = store.unpublished.withLock { $0.records.count }
        #expect(published == 2, "each write's changed row waits for the relay")
    }

    @Test("work registered for a transaction runs once, at its commit or its rollback, never at a later one")
    func runsOnce() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteStore(
            path: directory.url.appendingPathComponent("hooks.sqlite").path, migrations: StoreMigrations(),
            logger: logger)
        defer { try? store.close() }
        let ends = Mutex<[String]>([])
        let hooks = TransactionHooks { committed in
            ends.withLock { $0.append(committed ? "end:commit" : "end:rollback") }
        }
        try store.write { db in
            db.add(transactionObserver: hooks, extent: .observerLifetime)
            try db.execute(sql: "CREATE TABLE t (x)")
        }
        ends.withLock { $0.removeAll() }
        /// Registers work for transaction `number`: it notes which way that transaction ended.
        func register(_ number: Int) {
            hooks.afterNextTransaction {
                ends.withLock { $0.append("\(number):commit") }
            } onRollback: {
                ends.withLock { $0.append("\(number):rollback") }
            }
        }
        try store.write { db in
            register(1)
            try db.execute(sql: "INSERT INTO t VALUES (1)")
        }
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try store.write { db in
                register(2)
                try db.execute(sql: "INSERT INTO t VALUES (2)")
                throw Failure()
            }
        }
        try store.write { db in try db.execute(sql: "INSERT INTO t VALUES (3)") }
        #expect(
            ends.withLock { $0 } == ["end:commit", "1:commit", "end:rollback", "2:rollback", "end:commit"])
    }
}
