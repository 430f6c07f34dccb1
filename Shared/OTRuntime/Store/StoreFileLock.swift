import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An advisory lock (`flock`) on a partition store's lock file (`partition-NNN.sqlite.lock`), which tells whether a
/// store is open anywhere: each open store holds it shared until it is closed, and removing the files of a
/// store that is not open takes it exclusively, without waiting. Instances may share a data directory (a partition
/// belongs to one of them at a time), so a file of a partition one instance no longer owns may be another's open
/// store; the lock keeps it from being removed under it. The lock files are empty and stay.
final class StoreFileLock: Sendable {
    /// The lock file's descriptor while the lock is held; -1 once released.
    private let descriptor: Mutex<Int32>

    private init(descriptor: Int32) { self.descriptor = Mutex(descriptor) }

    /// The lock file of the store at `storePath`.
    static func path(ofStoreAt storePath: String) -> String { storePath + ".lock" }

    /// Holds the lock of the store at `storePath` shared, waiting while its files are being removed.
    /// - Throws: A `POSIXError` when the lock file cannot be opened or locked.
    static func shared(storeAt storePath: String) throws -> StoreFileLock {
        let descriptor = try openLockFile(ofStoreAt: storePath)
        while flock(descriptor, LOCK_SH) != 0 {
            guard errno == EINTR else {
                let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                _ = close(descriptor)
                throw error
            }
        }
        return StoreFileLock(descriptor: descriptor)
    }

    /// Holds the lock of the store at `storePath` exclusively if no one holds it; `nil` when the store is open.
    /// - Throws: A `POSIXError` when the lock file cannot be opened.
    static func exclusiveIfFree(storeAt storePath: String) throws -> StoreFileLock? {
        let descriptor = try openLockFile(ofStoreAt: storePath)
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            _ = close(descriptor)
            return nil
        }
        return StoreFileLock(descriptor: descriptor)
    }

    private static func openLockFile(ofStoreAt storePath: String) throws -> Int32 {
        let descriptor = open(path(ofStoreAt: storePath), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return descriptor
    }

    /// Lets the lock go (closing its file); releasing it again does nothing.
    func release() {
        descriptor.withLock { descriptor in
            if descriptor >= 0 { _ = close(descriptor) }
            descriptor = -1
        }
    }

    deinit { release() }
}
