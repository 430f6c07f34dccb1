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
        return withUnsafeBytes(of: &random) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                let hex: StaticString = "0123456789abcdef"
                var position = 0
                for index in 0..<16 {
                    var byte = bytes[index]
                    if index == 6 { byte = byte & 0x0F | 0x40 }  // version 4
                    if index == 8 { byte = byte & 0x3F | 0x80 }  // variant 10
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    text[position] = hex.utf8Start[Int(byte >> 4)]
                    text[position + 1] = hex.utf8Start[Int(byte & 0x0F)]
                    position += 2
                }
                return position
            }
        }
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
