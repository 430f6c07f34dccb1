import GRDBSQLite

/// The current row of a ``DirectStatement`` being stepped by ``DirectStatement/forEachRow(_:)``: its columns read
/// straight from SQLite, by index (from 0, in the order of the `SELECT`), with no copy of the row.
///
/// - Important: Valid only inside the `forEachRow` body it was given to: after that, the statement has moved on.
public struct DirectRow {
    @usableFromInline let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    /// Whether the column's value is `NULL`.
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column's value as text (SQLite converts a number), or `nil` for `NULL`.
    public func text(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Calls `body` with the column's value as UTF-8 bytes where SQLite keeps them (SQLite converts a number), and
    /// returns what it returns, or `nil` for `NULL`: for a value parsed at once (a date, a code), without the
    /// `String` that ``text(_:)`` makes.
    ///
    /// - Important: The bytes are valid only inside `body`.
    ///
    /// Inlinable, so that it is specialized where it is called: generic across modules, every call went through the
    /// result type's metadata.
    @inlinable
    public func withUTF8<Result>(
        _ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        return try body(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))))
    }

    /// Calls `body` with the column's value as the bytes SQLite keeps (a text's UTF-8, a number converted to text),
    /// and returns what it returns, or `nil` for `NULL`.
    ///
    /// - Important: The bytes are valid only inside `body`.
    public func withBlob<Result>(
        _ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result? {
        guard !isNull(column) else { return nil }
        // sqlite3_column_blob first, then its size (SQLite's documented order); an empty blob has no address.
        let start = sqlite3_column_blob(handle, column)
        return try body(UnsafeRawBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, column))))
    }

    /// The column's value as an integer (SQLite converts a text), or `nil` for `NULL`.
    public func int64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : sqlite3_column_int64(handle, column)
    }
}
