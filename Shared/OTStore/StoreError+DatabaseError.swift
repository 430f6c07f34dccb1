import GRDB

extension StoreError {
    /// Maps an error raised by SQLite to the operational ``StoreError`` it stands for.
    ///
    /// This is the one place where SQLite result codes become store errors.
    ///
    /// - Parameters:
    ///   - error: Any error thrown while accessing the database.
    ///   - path: The database file the error concerns.
    /// - Returns: The matching ``StoreError``; `error` itself when it already is one; `nil` when the error
    ///   is not operational (a constraint violation, an SQL error, an error of the caller's own) and should
    ///   reach the caller unchanged.
    public static func mapping(_ error: any Error, path: String) -> StoreError? {
        if let storeError = error as? StoreError {
            return storeError
        }
        guard let databaseError = error as? DatabaseError else {
            return nil
        }
        let reason = Self.reason(databaseError)
        switch databaseError.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .corrupt(path: path, reason: reason)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .locked(path: path, reason: reason)
        case .SQLITE_READONLY:
            return .readOnly(path: path, reason: reason)
        case .SQLITE_FULL:
            return .diskFull(path: path, reason: reason)
        case .SQLITE_IOERR:
            return .ioError(path: path, reason: reason)
        case .SQLITE_CANTOPEN, .SQLITE_PERM:
            return .cannotOpen(path: path, reason: reason)
        default:
            return nil
        }
    }

    /// A one-line account of a GRDB error: SQLite's message and its extended result code.
    static func reason(_ error: DatabaseError) -> String {
        let message = error.message ?? "no message"
        return "\(message) (SQLite code \(error.extendedResultCode.rawValue))"
    }

    /// A one-line account of any error, with SQLite's code when it is a GRDB error.
    static func reason(_ error: any Error) -> String {
        if let databaseError = error as? DatabaseError {
            return reason(databaseError)
        }
        return String(describing: error)
    }
}
