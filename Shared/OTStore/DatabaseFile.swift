import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Lays out a store's file on disk before SQLite opens it, so that nobody but the service's user can read it.
///
/// SQLite creates the `-wal` and `-shm` files with the mode of the database file, so creating the
/// database file as `0600` is what keeps all three private.
enum DatabaseFile {
    /// The mode of directories the store creates: owner only.
    static let directoryMode: mode_t = 0o700

    /// The mode of a database file the store creates: owner read and write only.
    static let fileMode: mode_t = 0o600

    /// Creates the database's directory (mode `0700`) and an empty database file (mode `0600`) when they
    /// are missing; leaves existing ones as they are.
    ///
    /// - Parameters:
    ///   - path: The absolute path of the database file.
    ///   - logger: Where to warn about an existing file other users can read.
    /// - Throws: ``StoreError/cannotCreateDirectory(path:reason:)`` or ``StoreError/cannotOpen(path:reason:)``.
    static func prepare(path: String, logger: Logger) throws(StoreError) {
        try createDirectory(parentDirectory(of: path))
        try createFile(path, logger: logger)
    }

    /// The directory part of an absolute path, `/` for a file at the root.
    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    /// Creates `path` and any missing parent, each with ``directoryMode``.
    static func createDirectory(_ path: String) throws(StoreError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw .cannotCreateDirectory(path: path, reason: "a file that is not a directory is in the way")
            }
            return
        }
        let parent = parentDirectory(of: path)
        if parent != path {
            try createDirectory(parent)
        }
        if mkdir(path, directoryMode) != 0 {
            let code = errno
            // Another process may have created it in the meantime.
            if code == EEXIST, stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                return
            }
            throw .cannotCreateDirectory(path: path, reason: errorMessage(code))
        }
        // mkdir's mode is filtered by the umask; set it exactly.
        if chmod(path, directoryMode) != 0 {
            throw .cannotCreateDirectory(path: path, reason: "chmod 0700: \(errorMessage(errno))")
        }
    }

    /// Creates an empty file at `path` with ``fileMode`` unless one exists.
    private static func createFile(_ path: String, logger: Logger) throws(StoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else {
            let code = errno
            guard code == EEXIST else {
                throw .cannotOpen(path: path, reason: errorMessage(code))
            }
            warnIfShared(path, logger: logger)
            return
        }
        defer { close(descriptor) }
        // open's mode is filtered by the umask; set it exactly.
        if fchmod(descriptor, fileMode) != 0 {
            throw .cannotOpen(path: path, reason: "chmod 0600: \(errorMessage(errno))")
        }
    }

    /// Logs a warning when an existing database file is readable or writable by other users.
    private static func warnIfShared(_ path: String, logger: Logger) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let mode = info.st_mode & 0o777
        if mode & 0o077 != 0 {
            logger.warning(
                "Database file is accessible to other users; restrict it with chmod 600",
                metadata: ["path": "\(path)", "mode": "\(String(mode, radix: 8))"]
            )
        }
    }

    /// The C library's text for an `errno` value.
    static func errorMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// `path` made absolute against the current directory, so that errors and logs name the real file.
    static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") {
            return path
        }
        guard let cwd = getcwd(nil, 0) else {
            return path
        }
        defer { free(cwd) }
        let directory = String(cString: cwd)
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }
}
