import CRdKafka

/// Messages' headers in the C form librdkafka copies them from: the names (NUL-terminated) and values in one
/// buffer, and the `CRdKafka_header`s that point into it. One buffer serves all the messages of an enqueue call:
/// it grows when a message needs more room, and a message whose headers are the array the previous message had
/// (a store's changelog records all share one) reuses its C form instead of copying the bytes again.
///
/// Whether an array is the previous one is told by its storage's address. That holds only while every array passed
/// to ``load(_:)`` stays alive, as the messages of an enqueue call do: a freed array's address may be reused.
struct CHeaderBuffer: ~Copyable {
    private var bytes = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var headers = UnsafeMutableBufferPointer<CRdKafka_header>(start: nil, count: 0)
    /// The storage of the array whose C form the buffer holds; `nil` when it holds none.
    private var loaded: UnsafeRawPointer?

    init() {}

    deinit {
        bytes.deallocate()
        headers.deallocate()
    }

    /// The C form of `source`, valid until the next call: `nil` and 0 for no headers.
    mutating func load(_ source: [KafkaHeader]) -> (headers: UnsafePointer<CRdKafka_header>?, count: Int) {
        guard !source.isEmpty else { return (nil, 0) }
        let storage = source.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        if storage != loaded { encode(source, storage: storage) }
        return (UnsafePointer(headers.baseAddress), source.count)
    }

    private mutating func encode(_ source: [KafkaHeader], storage: UnsafeRawPointer?) {
        var size = 0
        for header in source { size += header.name.utf8.count + 1 + (header.value?.count ?? 0) }
        if bytes.count < size {
            bytes.deallocate()
            bytes = .allocate(byteCount: max(size, 2 * bytes.count), alignment: 1)
        }
        if headers.count < source.count {
            headers.deallocate()
            headers = .allocate(capacity: max(source.count, 2 * headers.count))
        }
        var offset = 0
        for (index, header) in source.enumerated() {
            let name = bytes.baseAddress! + offset
            offset += copy(header.name.utf8, to: offset)
            bytes[offset] = 0
            offset += 1
            var value: UnsafeRawPointer?
            if let headerValue = header.value {
                // A present but empty value still needs an address: a null one means no value.
                value = UnsafeRawPointer(bytes.baseAddress! + offset)
                offset += copy(headerValue, to: offset)
            }
            headers[index] = CRdKafka_header(
                name: name.assumingMemoryBound(to: CChar.self), value: value, value_length: header.value?.count ?? 0)
        }
        loaded = storage
    }

    /// Copies `source` into the bytes at `offset` in one move where its bytes are contiguous (a native string's,
    /// an array's), one by one otherwise; returns how many it copied.
    private func copy<Source: Collection<UInt8>>(_ source: Source, to offset: Int) -> Int {
        let copied = source.withContiguousStorageIfAvailable { contiguous in
            if let start = contiguous.baseAddress {
                (bytes.baseAddress! + offset).copyMemory(from: start, byteCount: contiguous.count)
            }
            return contiguous.count
        }
        if let copied { return copied }
        var position = offset
        for byte in source {
            bytes[position] = byte
            position += 1
        }
        return position - offset
    }
}
