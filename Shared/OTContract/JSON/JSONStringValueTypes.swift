import Synchronization

/// Which types are ``JSONStringValue``s, asked of Swift's runtime once per type.
///
/// The encoder and the decoder ask it of the type of every value they meet that is not a scalar (a date, a code, a
/// national ID: most fields of the contract). The runtime answers a cast (`T.self as? any JSONStringValue.Type`) from
/// its conformance cache, a hash of the type and the protocol: 1.8 % of `ot-statistics`' samples decoding
/// `no.ot.youth.registered` (twelve fields, nine of them strings), 1 % of `ot-registrations`'. Here the answers are an
/// append-only table of a few dozen entries, read without a lock or a reference count: a scan of pointers.
enum JSONStringValueTypes {
    private struct Entry {
        let type: ObjectIdentifier
        let stringValue: (any JSONStringValue.Type)?
    }

    /// A table's entries; a table is never changed or freed once published (a new type publishes a longer copy),
    /// so that a reader needs neither a lock nor a retain. The types a process decodes are few, so is the memory.
    private struct Table {
        let entries: UnsafeMutableBufferPointer<Entry>
    }

    /// The published table's address (0 before the first), as an integer: a pointer is not `Sendable`.
    private static let published = Atomic<Int>(0)
    private static let writer = Mutex(())

    private static func table(at address: Int) -> UnsafeMutablePointer<Table>? {
        UnsafeMutablePointer(bitPattern: address)
    }

    /// `type` as a ``JSONStringValue`` type, or `nil` when it is not one.
    static func stringValue<T>(_ type: T.Type) -> (any JSONStringValue.Type)? {
        let id = ObjectIdentifier(type)
        if let table = table(at: published.load(ordering: .acquiring)) {
            for entry in table.pointee.entries where entry.type == id { return entry.stringValue }
        }
        let answer = type as? any JSONStringValue.Type
        writer.withLock { _ in
            let current = table(at: published.load(ordering: .acquiring))
            let entries = current?.pointee.entries ?? UnsafeMutableBufferPointer(start: nil, count: 0)
            guard !entries.contains(where: { $0.type == id }) else { return }
            let grown = UnsafeMutableBufferPointer<Entry>.allocate(capacity: entries.count + 1)
            _ = grown.initialize(fromContentsOf: entries)
            grown.initializeElement(at: entries.count, to: Entry(type: id, stringValue: answer))
            let table = UnsafeMutablePointer<Table>.allocate(capacity: 1)
            table.initialize(to: Table(entries: grown))
            published.store(Int(bitPattern: table), ordering: .releasing)
        }
        return answer
    }
}
