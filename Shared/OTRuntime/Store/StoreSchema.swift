/// Which migrations built a partition store: the first `runtime` of the runtime's own and the first `service` of
/// the service's. Each list only ever grows at its end, so two counts name the schema exactly, also across a release
/// that adds migrations to either list.
///
/// Every changelog row record carries its store's schema: a restore writes a row into a store of the schema it was
/// written from and runs the later migrations over it, as the writer's own store ran them when it was upgraded
/// (``ChangelogRestore``). A row's value begins with it (``valuePrefix``); a tombstone, which has no value, carries
/// it in the header `ot-schema` (`"<runtime>.<service>"`), as every row record did until 2026-12-07.
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

    /// The first byte of a row value that begins with its schema. A value without one begins with its column count,
    /// two bytes big-endian below 2,000 (SQLite's most columns), so its first byte is never this.
    static let valueMark: UInt8 = 0xFF

    /// What a row's value in the changelog begins with: ``valueMark`` and the two counts, two bytes each, big-endian.
    var valuePrefix: [UInt8] {
        [
            Self.valueMark, UInt8(truncatingIfNeeded: runtime >> 8), UInt8(truncatingIfNeeded: runtime),
            UInt8(truncatingIfNeeded: service >> 8), UInt8(truncatingIfNeeded: service),
        ]
    }

    /// The schema a value begins with (``valuePrefix``) and the row's values after it; `nil` when the value begins
    /// with ``valueMark`` but is too short for the counts.
    static func split(value: ArraySlice<UInt8>) -> (schema: StoreSchema, row: ArraySlice<UInt8>)? {
        let start = value.startIndex
        guard value.count >= 5, value[start] == valueMark else { return nil }
        let runtime = Int(value[start + 1]) << 8 | Int(value[start + 2])
        let service = Int(value[start + 3]) << 8 | Int(value[start + 4])
        return (StoreSchema(runtime: runtime, service: service), value[(start + 5)...])
    }

    /// Whether a store of this schema becomes one of `other` by running migrations (neither count goes down).
    func precedes(_ other: StoreSchema) -> Bool { runtime <= other.runtime && service <= other.service }
}
