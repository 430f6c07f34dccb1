import GRDBSQLite

#if canImport(Glibc)
    import Glibc
#endif

/// Memory of a cached direct statement for the texts bound to it: one buffer per parameter, which a text is copied
/// into and which SQLite then reads where it is (`SQLITE_STATIC`).
///
/// With `SQLITE_TRANSIENT` SQLite makes a copy of its own at every bind and frees the one before: a malloc and a free
/// each time, about half the 400 instructions a text's bind cost (callgrind of `ot-registrations`, 2026-12-07, 14
/// texts bound per event). Here a parameter's buffer is kept and grows only for a longer text.
///
/// SQLite's rule for `SQLITE_STATIC`: the bytes stay valid and unchanged while they are bound. A parameter's buffer
/// is written only by the next bind of that parameter, which replaces the binding anyway, and is freed only after
/// ``release(from:)`` has cleared the statement's bindings. The statement is stepped on one thread at a time, the
/// writer's, as the cache that owns this is used.
struct DirectStatementTexts {
    private struct Buffer {
        var bytes: UnsafeMutableRawPointer?
        var capacity: Int
    }

    private let buffers: UnsafeMutablePointer<Buffer>
    /// The statement's parameters (`sqlite3_bind_parameter_count`); the buffers are of parameters 1 through this.
    let count: Int32

    /// Buffers for the parameters of `handle`, or `nil` when it has none.
    init?(for handle: OpaquePointer) {
        count = sqlite3_bind_parameter_count(handle)
        guard count > 0 else { return nil }
        buffers = .allocate(capacity: Int(count))
        buffers.initialize(repeating: Buffer(bytes: nil, capacity: 0), count: Int(count))
    }

    /// Copies `utf8` into the buffer of parameter `index` and binds it there; SQLite's result code. An `index` out of
    /// range is bound the way SQLite copies, for SQLite to report.
    func bind(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int32, to handle: OpaquePointer) -> Int32 {
        guard index >= 1, index <= count else {
            return sqlite3_bind_text(handle, index, "", 0, DirectStatementTexts.transient)
        }
        let buffer = buffers + Int(index - 1)
        if buffer.pointee.capacity < utf8.count || buffer.pointee.bytes == nil {
            // Not realloc: the old bytes may still be bound (until the bind below replaces them), and nothing of them
            // is needed. At least 32 bytes, so that an empty text has an address (a null one would bind NULL).
            let capacity = max(32, utf8.count)
            guard let grown = malloc(capacity) else { return SQLITE_NOMEM }
            sqlite3_bind_null(handle, index)
            free(buffer.pointee.bytes)
            buffer.pointee = Buffer(bytes: grown, capacity: capacity)
        }
        let bytes = buffer.pointee.bytes!
        if let base = utf8.baseAddress { bytes.copyMemory(from: base, byteCount: utf8.count) }
        return sqlite3_bind_text(
            handle, index, bytes.assumingMemoryBound(to: CChar.self), Int32(utf8.count), nil)  // nil: SQLITE_STATIC
    }

    /// Clears the bindings of `handle` (which then holds none of these bytes), then frees the buffers.
    func release(from handle: OpaquePointer) {
        sqlite3_clear_bindings(handle)
        for index in 0..<Int(count) { free(buffers[index].bytes) }
        buffers.deinitialize(count: Int(count))
        buffers.deallocate()
    }

    /// SQLite's `SQLITE_TRANSIENT` (the macro does not import into Swift): SQLite copies a bound text at once.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
