import Foundation
import Kafka

/// The messages both clients send: `count` values of `valueSize` printable ASCII bytes (no tab or newline, so they
/// fit kcat's `key<TAB>value` line format unchanged), keyed `key-<i % 10000>`.
struct BenchmarkWorkload: Sendable {
    /// How many distinct keys the messages cycle through.
    static let distinctKeys = 10_000
    /// What the mock broker stores per record besides key and value (record framing and varints); an estimate.
    static let recordOverhead = 12

    /// The number of messages.
    let count: Int
    /// The partition count of the topics they go to.
    let partitionCount: Int
    /// The distinct keys; message `i` has `keys[i % distinctKeys]`.
    let keys: [[UInt8]]
    /// One value per message.
    let values: [[UInt8]]
    /// Where murmur2 puts them: the number of messages per partition.
    let messagesPerPartition: [Int]
    /// The bytes the mock broker stores per partition for them, record framing included; an estimate.
    let storedBytesPerPartition: [Int]
    /// The key and value bytes of all messages.
    let payloadBytes: Int

    /// Builds every key and value up front, so that no measurement includes making them.
    init(count: Int, valueSize: Int, partitionCount: Int) {
        self.count = count
        self.partitionCount = partitionCount
        let keys = Self.keys(count: count)
        self.keys = keys
        values = (0..<count).map { Self.value(of: $0, size: valueSize) }
        (messagesPerPartition, storedBytesPerPartition) = Self.expectedLoad(
            count: count, valueSize: valueSize, partitionCount: partitionCount)
        payloadBytes = (0..<count).reduce(0) { $0 + keys[$1 % Self.distinctKeys].count } + count * valueSize
    }

    /// The producer messages, in order, for `topic`. Keys and values are shared with the workload, not copied.
    func messages(topic: String) -> [KafkaProducerMessage] {
        (0..<count).map { KafkaProducerMessage(topic: topic, key: keys[$0 % Self.distinctKeys], value: values[$0]) }
    }

    /// Writes the same messages as kcat's `-K '\t'` input: one `key<TAB>value` line each.
    func writeKcatInput(to url: URL) throws {
        var data = Data()
        data.reserveCapacity(payloadBytes + 2 * count)
        for index in 0..<count {
            data.append(contentsOf: keys[index % Self.distinctKeys])
            data.append(UInt8(ascii: "\t"))
            data.append(contentsOf: values[index])
            data.append(UInt8(ascii: "\n"))
        }
        try data.write(to: url)
    }

    /// Checks a per-partition message count against murmur2's placement of the whole workload.
    ///
    /// - Throws: ``BenchmarkError/lostMessages(topic:reader:found:expected:detail:)`` when any partition differs.
    func verify(_ perPartition: [Int], topic: String, reader: String) throws {
        guard perPartition != messagesPerPartition else { return }
        let wrong = perPartition.indices.filter { perPartition[$0] != messagesPerPartition[$0] }
        let detail =
            wrong.first.map {
                "\(wrong.count) partitions differ from murmur2's placement, first \($0): "
                    + "\(perPartition[$0]) messages instead of \(messagesPerPartition[$0])"
            } ?? "the partition count differs"
        throw BenchmarkError.lostMessages(
            topic: topic, reader: reader, found: perPartition.reduce(0, +), expected: count, detail: detail)
    }

    /// How many messages and (estimated) stored bytes each partition receives, without building the values.
    static func expectedLoad(count: Int, valueSize: Int, partitionCount: Int) -> (messages: [Int], bytes: [Int]) {
        var messages = [Int](repeating: 0, count: partitionCount)
        var bytes = [Int](repeating: 0, count: partitionCount)
        for (index, key) in keys(count: count).enumerated() {
            let occurrences = count / distinctKeys + (index < count % distinctKeys ? 1 : 0)
            let partition = Int(KafkaPartitioner.murmur2Partition(of: key, partitionCount: Int32(partitionCount)))
            messages[partition] += occurrences
            bytes[partition] += occurrences * (key.count + valueSize + recordOverhead)
        }
        return (messages, bytes)
    }

    private static func keys(count: Int) -> [[UInt8]] {
        (0..<min(count, distinctKeys)).map { Array("key-\($0)".utf8) }
    }

    /// The message's index in decimal, then letters, so that every value differs.
    private static func value(of index: Int, size: Int) -> [UInt8] {
        let digits = Array(String(index).utf8)
        return (0..<size).map { position in
            position < digits.count ? digits[position] : UInt8(ascii: "a") + UInt8((index + position) % 26)
        }
    }
}
