import Foundation
import Logging
import OTRuntimeTesting
import Testing

@testable import OTRuntime

/// The store folder of an instance holds the files of the partitions it owns, and no others.
@Suite("Partition stores: the files of partitions no longer owned", .timeLimit(.minutes(2)))
struct PartitionStoresTests {
    @Test("the stores of partitions neither owned nor open are removed, with their log files; other files stay")
    func removeFilesNotOwned() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let stores = PartitionStores(
            directory: directory.url, migrations: CountingHandler().migrations, logger: Logger(label: "test"))
        // Partition 2's store is open here (a partition being closed or restored), 3's by another worker that
        // shares the folder: both left alone whatever `owned` says.
        let open = try stores.open(2)
        defer { try? open.close() }
        let otherWorker = PartitionStores(
            directory: directory.url, migrations: CountingHandler().migrations, logger: Logger(label: "test"))
        let openElsewhere = try otherWorker.open(3)
        // Files as SQLite leaves them: 0 owned; 1 and 12 moved away, 12 with its log and shared-memory files;
        // 7's log left alone by a crash. Names that are not a store's stay.
        let names = [
            "partition-000.sqlite", "partition-001.sqlite", "partition-012.sqlite", "partition-012.sqlite-wal",
            "partition-012.sqlite-shm", "partition-007.sqlite-wal", "partition-1.sqlite", "partition-001.sqlite.bak",
            "partition-0001.sqlite", "notes.txt",
        ]
        for name in names {
            try Data("x".utf8).write(to: directory.url.appendingPathComponent(name))
        }

        #expect(stores.removeFiles(notIn: [0]) == [1, 7, 12])

        // The stores' lock files (empty) stay.
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
            .filter { !$0.hasSuffix(".lock") }
        #expect(
            left == [
                "notes.txt", "partition-000.sqlite", "partition-0001.sqlite", "partition-001.sqlite.bak",
                "partition-002.sqlite", "partition-002.sqlite-shm", "partition-002.sqlite-wal",
                "partition-003.sqlite", "partition-003.sqlite-shm", "partition-003.sqlite-wal", "partition-1.sqlite",
            ])
        #expect(try open.consumedOffsets().isEmpty, "the open store still works")

        // Once the other worker closes it, it goes too.
        await otherWorker.close(3)
        _ = openElsewhere
        #expect(stores.removeFiles(notIn: [0]) == [3])
    }

    @Test("a partition store can be rebuilt after an erasure without changing the rowids its rows are known by")
    func rebuildable() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let stores = PartitionStores(
            directory: directory.url, migrations: CountingHandler().migrations, logger: Logger(label: "test"))
        let store = try stores.open(0)
        // The runtime's tables (and the counting worker's): none whose rowids VACUUM would change.
        #expect(try await store.store.truncateLog(rebuildingFile: true))
        await stores.close(0)
    }
}
