import Kafka
import Testing

@Suite("KafkaPartitioner", .timeLimit(.minutes(2)))
struct KafkaPartitionerTests {
    /// The Java client's own test vectors for `Utils.murmur2` (as signed 32-bit integers).
    @Test(
        "murmur2 matches the Java client's hash",
        arguments: [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ] as [(String, Int32)])
    func javaVectors(key: String, expected: Int32) {
        #expect(Int32(bitPattern: KafkaPartitioner.murmur2(Array(key.utf8))) == expected)
    }
}
