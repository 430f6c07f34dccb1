import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension CloudEvent {
    /// A new event id: a random (version 4) UUID in lowercase, such as `5b0b6c1e-3d9e-4a43-8f57-5c0e2c2f0d11`.
    ///
    /// The same kind of id as `UUID().uuidString.lowercased()`, from the same kernel generator (`getentropy`), but
    /// drawn 4 KiB at a time: Foundation's `UUID()` opens, reads and closes `/dev/urandom` for each one on Linux
    /// (about 4 µs measured, once per emitted event).
    public static func newID() -> String {
        var random = (UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &random) { bytes in
            randomPool.withLock { pool in pool.take(into: bytes) }
        }
        return uuidText(high: random.0, low: random.1, version: 4)
    }

    private static let randomPool = Mutex(RandomPool())
}

/// Random bytes from the kernel, fetched in bulk and handed out once each.
private struct RandomPool {
    private var bytes = [UInt8](repeating: 0, count: 4096)
    private var next = 4096

    /// Fills `target` (at most 256 bytes) with bytes no one else gets.
    mutating func take(into target: UnsafeMutableRawBufferPointer) {
        if next + target.count > bytes.count { refill() }
        let start = next
        bytes.withUnsafeBytes { source in
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<start + target.count]))
        }
        next += target.count
    }

    private mutating func refill() {
        bytes.withUnsafeMutableBytes { buffer in
            // getentropy gives at most 256 bytes a call.
            for offset in stride(from: 0, to: buffer.count, by: 256) {
                let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<min(offset + 256, buffer.count)])
                if getentropy(chunk.baseAddress, chunk.count) != 0 {
                    // Only a kernel without getrandom fails here: take the standard library's generator instead.
                    var generator = SystemRandomNumberGenerator()
                    for index in chunk.indices { chunk[index] = generator.next() }
                }
            }
        }
        next = 0
    }
}
