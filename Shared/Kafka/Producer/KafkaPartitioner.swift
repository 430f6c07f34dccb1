/// The partitioners this project relies on, computed in Swift so that a caller can know a message's partition
/// before producing it (the outbox records it; a recovery scan reads it back).
public enum KafkaPartitioner {
    /// The partition the Java client's default partitioner, and librdkafka's `murmur2` / `murmur2_random`,
    /// choose for a non-null `key`: `murmur2(key) & 0x7fffffff % partitionCount`.
    public static func murmur2Partition(of key: [UInt8], partitionCount: Int32) -> Int32 {
        Int32(murmur2(key) & 0x7fff_ffff % UInt32(partitionCount))
    }

    /// Kafka's 32-bit murmur2 hash with seed `0x9747b28c`.
    public static func murmur2(_ key: [UInt8]) -> UInt32 {
        let multiplier: UInt32 = 0x5bd1_e995
        var hash: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: key.count)
        var index = 0
        while index + 4 <= key.count {
            var word =
                UInt32(key[index]) | UInt32(key[index + 1]) << 8 | UInt32(key[index + 2]) << 16
                | UInt32(key[index + 3]) << 24
            word &*= multiplier
            word ^= word >> 24
            word &*= multiplier
            hash &*= multiplier
            hash ^= word
            index += 4
        }
        switch key.count - index {
        case 3:
            hash ^= UInt32(key[index + 2]) << 16
            fallthrough
        case 2:
            hash ^= UInt32(key[index + 1]) << 8
            fallthrough
        case 1:
            hash ^= UInt32(key[index])
            hash &*= multiplier
        default:
            break
        }
        hash ^= hash >> 13
        hash &*= multiplier
        hash ^= hash >> 15
        return hash
    }
}
