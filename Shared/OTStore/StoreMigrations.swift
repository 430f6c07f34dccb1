import GRDB

/// The ordered, named schema migrations of one service's store.
///
/// A service registers its migrations once, in order, and hands them to
/// ``SQLiteStore/init(path:migrations:configuration:logger:)``, which applies the ones the database has not
/// seen yet, each in its own transaction:
///
/// ```swift
/// var migrations = StoreMigrations()
/// migrations.register("v1-create-status") { db in
///     try db.create(table: "status") { t in
///         t.primaryKey("id", .text)
///         t.column("code", .text).notNull()
///     }
/// }
/// ```
///
/// - Important: A migration that has shipped must never change or be renamed: the store records applied
///   migrations by identifier and never reruns them. Change the schema by registering a new migration.
public struct StoreMigrations: Sendable {
    /// The GRDB migrator the registered migrations build up.
    private(set) var migrator = DatabaseMigrator()
    /// The registered migrations, in order, so that lists can be combined.
    private var registered: [(identifier: String, migrate: @Sendable (Database) throws -> Void)] = []

    /// The identifiers of the registered migrations, in the order they run.
    public var identifiers: [String] { migrator.migrations }

    /// Creates an empty list of migrations.
    public init() {}

    /// Registers a migration that runs after all those registered before it.
    ///
    /// Foreign-key checks are deferred to the end of the migration, so a migration may rebuild a table
    /// that other tables refer to.
    ///
    /// - Parameters:
    ///   - identifier: A name unique among this store's migrations, such as `"v3-add-outbox"`.
    ///   - migrate: The schema change. It runs inside a transaction; throwing rolls it back.
    /// - Important: Registering the same identifier twice is a programming error and stops the process.
    public mutating func register(
        _ identifier: String,
        migrate: @escaping @Sendable (Database) throws -> Void
    ) {
        precondition(
            !migrator.migrations.contains(identifier),
            "StoreMigrations: migration '\(identifier)' is registered twice"
        )
        migrator.registerMigration(identifier, migrate: migrate)
        registered.append((identifier, migrate))
    }

    /// The number of registered migrations.
    public var count: Int { registered.count }

    /// The first `count` migrations, in their order: the schema a store had when only those were registered (a
    /// list only ever grows at its end).
    public func prefix(_ count: Int) -> StoreMigrations {
        var prefix = StoreMigrations()
        for (identifier, migrate) in registered.prefix(count) { prefix.register(identifier, migrate: migrate) }
        return prefix
    }

    /// Registers every migration of `other` after those registered here, in their order. A shared library
    /// uses this to put its own tables before a service's.
    ///
    /// - Important: An identifier registered in both is a programming error and stops the process.
    public mutating func append(contentsOf other: StoreMigrations) {
        for (identifier, migrate) in other.registered { register(identifier, migrate: migrate) }
    }
}
