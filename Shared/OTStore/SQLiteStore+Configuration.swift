extension SQLiteStore {
    /// How an ``SQLiteStore`` opens and uses its database.
    ///
    /// The defaults suit a worker service that must not lose a commit it has acknowledged:
    /// ``Durability/full`` syncs on every commit, and a five-second busy timeout rides out
    /// short contention (a backup tool, a checkpoint) without hiding a second writer for long.
    public struct Configuration: Sendable, Equatable {
        /// How hard SQLite works to make a commit survive a power loss (`PRAGMA synchronous`).
        ///
        /// `NORMAL`, the usual WAL setting, is deliberately absent: with it a commit acknowledged just before
        /// a power loss can roll back, and the Kafka offsets committed with it would then skip messages.
        public enum Durability: String, Sendable, Equatable, CaseIterable {
            /// `PRAGMA synchronous = FULL`: the WAL is synced at every commit. A committed transaction
            /// survives an operating-system crash or a power loss.
            case full = "FULL"

            /// `PRAGMA synchronous = EXTRA`: as ``full``, and the directory is synced too, so a commit
            /// also survives a power loss right after the WAL file was created.
            case extra = "EXTRA"

            /// The value `PRAGMA synchronous` reports for this level.
            public var pragmaValue: Int {
                switch self {
                case .full: 2
                case .extra: 3
                }
            }
        }

        /// How long a write waits for a lock held by another connection before it fails with
        /// ``StoreError/locked(path:reason:)``. Defaults to five seconds.
        public var busyTimeout: Duration

        /// The commit durability. Defaults to ``Durability/full``.
        public var durability: Durability

        /// The most reader connections the pool opens at once. Defaults to 5; must be at least 1.
        public var maximumReaderCount: Int

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - busyTimeout: How long a write waits for another connection's lock.
        ///   - durability: The commit durability.
        ///   - maximumReaderCount: The most reader connections opened at once.
        public init(
            busyTimeout: Duration = .seconds(5),
            durability: Durability = .full,
            maximumReaderCount: Int = 5
        ) {
            self.busyTimeout = busyTimeout
            self.durability = durability
            self.maximumReaderCount = maximumReaderCount
        }

        /// Checks the values a service may have read from its environment.
        func validate() throws(StoreError) {
            guard busyTimeout >= .zero else {
                throw .invalidConfiguration(reason: "busyTimeout must not be negative (got \(busyTimeout))")
            }
            guard maximumReaderCount >= 1 else {
                throw .invalidConfiguration(
                    reason: "maximumReaderCount must be at least 1 (got \(maximumReaderCount))")
            }
        }

        /// The busy timeout in seconds, as GRDB takes it.
        var busyTimeoutSeconds: Double { busyTimeout / .seconds(1) }
    }
}
