import Synchronization

/// Which types are ``JSONStringValue``s, asked of Swift's runtime once per type.
///
/// The encoder and the decoder ask it of the type of every value they meet that is not a scalar (a date, a code, a
/// national ID: most fields of the contract). The runtime answers a cast (`T.self as? any JSONStringValue.Type`) from
/// its conformance cache, a hash of the type and the protocol: 1.8 % of `ot-statistics`' samples decoding
/// `no.ot.youth.registered` (twelve fields, nine of them strings), 1 % of `ot-registrations`'. Here the answers are in a
/// table hashed by the type's address, read without a lock or a reference count.
enum JSONStringValueTypes {
    private struct Entry {
        let type: ObjectIdentifier
        let stringValue: (any JSONStringValue.Type)?
    }

    /// The answers so far, hashed by the type's address (open addressing, at most half full); a table is never
    /// changed or freed once published (a new type publishes a larger copy), so that a reader needs neither a lock
    /// nor a retain. The types a process meets are some dozens, so is the memory.
    private struct Table {
        let slots: UnsafeMutableBufferPointer<Entry?>

        /// The slot of `type` if it is in the table, else the free slot it would take.
        func slot(of type: ObjectIdentifier) -> Int {
            let mask = slots.count - 1
            // Fibonacci hashing of the address: metadata addresses share their low bits.
            var slot = Int(truncatingIfNeeded: (UInt64(UInt(bitPattern: type)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
            while let entry = slots[slot], entry.type != type { slot = (slot + 1) & mask }
            return slot
        }
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
        if let table = table(at: published.load(ordering: .acquiring)),
            let entry = table.pointee.slots[table.pointee.slot(of: id)]
        {
            return entry.stringValue
        }
        let answer = type as? any JSONStringValue.Type
        writer.withLock { _ in
            let current = table(at: published.load(ordering: .acquiring))?.pointee
            if let current, current.slots[current.slot(of: id)] != nil { return }
            let entries =
                (current?.slots ?? UnsafeMutableBufferPointer(start: nil, count: 0)).compactMap { $0 }
                + [Entry(type: id, stringValue: answer)]
            var capacity = 16
            while capacity < entries.count * 2 { capacity *= 2 }
            let slots = UnsafeMutableBufferPointer<Entry?>.allocate(capacity: capacity)
            slots.initialize(repeating: nil)
            let grown = Table(slots: slots)
            for entry in entries { slots[grown.slot(of: entry.type)] = entry }
            let table = UnsafeMutablePointer<Table>.allocate(capacity: 1)
            table.initialize(to: grown)
            published.store(Int(bitPattern: table), ordering: .releasing)
        }
        return answer
    }
}
