import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs `body` with a new, empty directory of its own and removes the directory afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Runs `body` with a new, empty directory of its own and removes the directory afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

private func makeTemporaryDirectory() throws -> String {
    var template = Array((NSTemporaryDirectory() + "/OTStoreTests.XXXXXX").utf8CString)
    guard let created = mkdtemp(&template) else {
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
    return String(cString: created)
}

/// A logger that discards everything, so test output stays readable.
let quietLogger = Logger(label: "OTStoreTests", factory: { _ in SwiftLogNoOpLogHandler() })

/// The permission bits of the file at `path`.
func permissions(of path: String) throws -> Int {
    var info = stat()
    guard stat(path, &info) == 0 else {
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
    return Int(info.st_mode & 0o777)
}
