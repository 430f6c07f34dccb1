import GRDB

/// Work that runs when the store's write transaction in hand commits or rolls back, through one observer for the
/// life of the writer connection.
///
/// GRDB's `afterNextTransaction` adds an observer for every call, and adding one drops every cached statement that
/// can delete rows (the need to prevent SQLite's truncate optimization may have changed): with two or three calls in
/// every transaction, each transaction compiled its `DELETE`s and upserts anew. Writer queue only.
final class TransactionHooks: TransactionObserver, @unchecked Sendable {
    private var commits: [() -> Void] = []
    private var rollbacks: [() -> Void] = []
    private let everyEnd: (_ committed: Bool) -> Void

    /// Hooks that run `everyEnd` after every transaction, before the work registered for it.
    init(everyEnd: @escaping (_ committed: Bool) -> Void) {
        self.everyEnd = everyEnd
    }

    /// Runs `onCommit` when the transaction in hand commits, or `onRollback` when it rolls back (as a whole; a
    /// savepoint rolled back is not the end of it).
    func afterNextTransaction(onCommit: @escaping () -> Void, onRollback: @escaping () -> Void = {}) {
        commits.append(onCommit)
        rollbacks.append(onRollback)
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }

    func databaseDidChange(with event: DatabaseEvent) {}

    func databaseDidCommit(_ db: Database) { end(committed: true) }

    func databaseDidRollback(_ db: Database) { end(committed: false) }

    private func end(committed: Bool) {
        let work = committed ? commits : rollbacks
        commits.removeAll(keepingCapacity: true)
        rollbacks.removeAll(keepingCapacity: true)
        everyEnd(committed)
        for item in work { item() }
    }
}
