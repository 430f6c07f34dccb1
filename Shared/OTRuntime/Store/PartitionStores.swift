import Foundation
import Logging
import OTStore
import Synchronization

/// The partition stores a worker has open, by partition number, and who is using each.
///
/// A store is opened when its partition is assigned, made ready for the outbox relay and the ticks once it is
/// restored and recovered, and closed when the partition is revoked or lost. Work on a store (a relay round, a tick)
/// holds a lease on it (``withStore(_:_:)``); ``close(_:)`` stops new leases at once and closes the file only when
/// the last one ends, so no work ever meets a closed store.
final class PartitionStores: Sendable {
    private struct Entry {
        var store: PartitionStore
        var ready = false
        var closing = false
        var leases = 0
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let entries = Mutex<[Int32: Entry]>([:])
    let directory: URL
    private let migrations: StoreMigrations
    private let logger: Logger

    init(directory: URL, migrations: StoreMigrations, logger: Logger) {
        self.directory = directory
        self.migrations = migrations
        self.logger = logger
    }

    /// The schema of a store with every migration of this build.
    var currentSchema: StoreSchema {
        StoreSchema(runtime: PartitionStore.runtimeMigrations.count, service: migrations.count)
    }

    /// The store of `partition`, opened if it is not open yet: with every migration, or with those of `schema`.
    func open(_ partition: Int32, schema: StoreSchema? = nil) throws(StoreError) -> PartitionStore {
        if let open = entries.withLock({ $0[partition]?.store }) { return open }
        let store = try PartitionStore(
            partition: partition, directory: directory, serviceMigrations: migrations, schema: schema, logger: logger)
        return entries.withLock { entries in
            if let raced = entries[partition]?.store { return raced }
            entries[partition] = Entry(store: store)
            return store
        }
    }

    /// The open store of `partition`, if any and not closing.
    func store(_ partition: Int32) -> PartitionStore? {
        entries.withLock { entries in entries[partition].flatMap { $0.closing ? nil : $0.store } }
    }

    /// Marks a store as restored and recovered: the relay may send its outbox and the ticks may run on it.
    func markReady(_ partition: Int32) { entries.withLock { $0[partition]?.ready = true } }

    /// The partition numbers of the stores that are ready and not closing, in order.
    var ready: [Int32] {
        entries.withLock { $0.filter { $0.value.ready && !$0.value.closing }.map(\.key) }.sorted()
    }

    /// The partition numbers of every open store, in order.
    var open: [Int32] { entries.withLock { Array($0.keys) }.sorted() }

    /// Whether `partition`'s store is being closed (or is gone): work on it should stop at the next step.
    func isClosing(_ partition: Int32) -> Bool { entries.withLock { $0[partition]?.closing ?? true } }

    /// Runs `body` with the store of `partition` while holding a lease on it; `nil` when the store is not ready or
    /// is closing.
    func withStore<T>(_ partition: Int32, _ body: (PartitionStore) async throws -> T) async rethrows -> T? {
        let store = entries.withLock { entries -> PartitionStore? in
            guard let entry = entries[partition], entry.ready, !entry.closing else { return nil }
            entries[partition]!.leases += 1
            return entry.store
        }
        guard let store else { return nil }
        defer { endLease(partition) }
        return try await body(store)
    }

    private func endLease(_ partition: Int32) {
        let waiters = entries.withLock { entries -> [CheckedContinuation<Void, Never>] in
            guard var entry = entries[partition] else { return [] }
            entry.leases -= 1
            var waiters: [CheckedContinuation<Void, Never>] = []
            if entry.leases == 0 && entry.closing { swap(&waiters, &entry.closeWaiters) }
            entries[partition] = entry
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Removes the files of every store in the folder that is neither open (here or by another worker sharing the
    /// folder: ``StoreFileLock``) nor of a partition in `owned`: partitions that moved to another instance. Kept, such a file would be of no use (it is reused only when nothing was
    /// published after its own last round; once the new owner publishes, a return restores it from the changelog)
    /// and would keep what the new owner deletes, an erased person's rows among them.
    /// - Returns: The partition numbers whose files were removed, in order.
    @discardableResult
    func removeFiles(notIn owned: Set<Int32>) -> [Int32] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            logger.warning("cannot list the store folder", metadata: ["error": "\(error)"])
            return []
        }
        let open = entries.withLock { Set($0.keys) }
        let stale = Set(names.compactMap(PartitionStore.partition(ofFileNamed:))).subtracting(owned).subtracting(open)
        var removed: [Int32] = []
        for partition in stale.sorted() {
            do {
                // Not while any worker has it open: instances may share the folder, and this file may be the store
                // another instance now owns.
                guard
                    let lock = try StoreFileLock.exclusiveIfFree(
                        storeAt: PartitionStore.path(partition: partition, directory: directory))
                else { continue }
                try withExtendedLifetime(lock) {
                    try PartitionStore.removeFiles(partition: partition, directory: directory)
                }
                removed.append(partition)
            } catch {
                logger.warning(
                    "cannot remove the store of a partition this instance no longer owns",
                    metadata: ["partition": "\(partition)", "error": "\(error)"])
            }
        }
        if !removed.isEmpty {
            logger.info(
                "removed the stores of partitions this instance no longer owns",
                metadata: ["partitions": "\(removed.map(String.init).joined(separator: ","))"])
        }
        return removed
    }

    /// Closes and forgets the store of `partition`: no new lease from now on, and the file is closed once the
    /// leases in hand end.
    func close(_ partition: Int32) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let closeNow = entries.withLock { entries -> Bool in
                guard entries[partition] != nil else { return true }
                entries[partition]!.closing = true
                if entries[partition]!.leases == 0 { return true }
                entries[partition]!.closeWaiters.append(continuation)
                return false
            }
            if closeNow { continuation.resume() }
        }
        guard let entry = entries.withLock({ $0.removeValue(forKey: partition) }) else { return }
        do {
            try entry.store.close()
        } catch {
            logger.warning(
                "closing a partition store failed", metadata: ["partition": "\(partition)", "error": "\(error)"])
        }
    }
}
