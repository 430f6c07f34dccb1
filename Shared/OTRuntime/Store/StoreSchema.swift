/// Which migrations built a partition store: the first `runtime` of the runtime's own and the first `service` of
/// the service's. Each list only ever grows at its end, so two counts name the schema exactly, also across a release
/// that adds migrations to either list.
///
/// Every changelog row record carries its store's schema (header `ot-schema`, `"<runtime>.<service>"`): a restore
/// writes a row into a store of the schema it was written from and runs the later migrations over it, as the
/// writer's own store ran them when it was upgraded (``ChangelogRestore``).
struct StoreSchema: Sendable, Hashable, CustomStringConvertible {
    /// How many of the runtime's migrations the store has.
    var runtime: Int
    /// How many of the service's migrations the store has.
    var service: Int

    /// The header naming a changelog record's schema.
    static let header = "ot-schema"

    /// Reads a header value; `nil` unless it is two counts.
    init?(header value: String) {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let runtime = Int(parts[0]), let service = Int(parts[1]), runtime >= 0, service >= 0
        else { return nil }
        self.init(runtime: runtime, service: service)
    }

    init(runtime: Int, service: Int) {
        self.runtime = runtime
        self.service = service
    }

    /// The header value.
    var description: String { "\(runtime).\(service)" }

    /// Whether a store of this schema becomes one of `other` by running migrations (neither count goes down).
    func precedes(_ other: StoreSchema) -> Bool { runtime <= other.runtime && service <= other.service }
}
