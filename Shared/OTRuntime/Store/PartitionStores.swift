import Foundation
import Logging
import OTStore
import Synchronization

/// The partition stores a worker has open, by partition number. Opened when a partition is assigned (on the
/// consumer's polling thread, to read the start offsets), made ready for the outbox relay after recovery,
/// closed when the partition is revoked.
final class PartitionStores: Sendable {
    private struct Entry {
        var store: PartitionStore
        var ready: Bool
    }

    private let entries = Mutex<[Int32: Entry]>([:])
    private let directory: URL
    private let migrations: StoreMigrations
    private let logger: Logger

    init(directory: URL, migrations: StoreMigrations, logger: Logger) {
        self.directory = directory
        self.migrations = migrations
        self.logger = logger
    }

    /// The store of `partition`, opened if it is not open yet.
    func open(_ partition: Int32) throws(StoreError) -> PartitionStore {
        if let open = entries.withLock({ $0[partition]?.store }) { return open }
        let store = try PartitionStore(
            partition: partition, directory: directory, serviceMigrations: migrations, logger: logger)
        return entries.withLock { entries in
            if let raced = entries[partition]?.store { return raced }
            entries[partition] = Entry(store: store, ready: false)
            return store
        }
    }

    /// The open store of `partition`, if any.
    func store(_ partition: Int32) -> PartitionStore? { entries.withLock { $0[partition]?.store } }

    /// Marks a store as recovered: the relay may send its outbox.
    func markReady(_ partition: Int32) { entries.withLock { $0[partition]?.ready = true } }

    /// The stores whose outbox the relay may send, in partition order.
    var ready: [PartitionStore] {
        entries.withLock { $0.values.filter(\.ready).map(\.store) }.sorted { $0.partition < $1.partition }
    }

    /// Every open store.
    var all: [PartitionStore] { entries.withLock { $0.values.map(\.store) }.sorted { $0.partition < $1.partition } }

    /// Closes and forgets the store of `partition`.
    func close(_ partition: Int32) {
        guard let entry = entries.withLock({ $0.removeValue(forKey: partition) }) else { return }
        do {
            try entry.store.store.close()
        } catch {
            logger.warning(
                "closing a partition store failed", metadata: ["partition": "\(partition)", "error": "\(error)"])
        }
    }
}
