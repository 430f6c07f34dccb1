import Testing

@testable import Kafka

@Suite("The seek's timeout as librdkafka reads it", .timeLimit(.minutes(2)))
struct KafkaSeekTimeoutTests {
    @Test("librdkafka before 2.1.0 waits microseconds, so 10 s are passed as 10,000,000")
    func beforeTheFix() {
        // 2.0.2 final (Debian's): 0x020002ff.
        #expect(KafkaConsumer.seekTimeoutArgument(.seconds(10), version: 0x0200_02ff) == 10_000_000)
        #expect(KafkaConsumer.seekTimeoutArgument(.milliseconds(250), version: 0x0200_02ff) == 250_000)
    }

    @Test("from 2.1.0 on the timeout is milliseconds, as documented")
    func afterTheFix() {
        #expect(KafkaConsumer.seekTimeoutArgument(.seconds(10), version: 0x0201_00ff) == 10_000)
        #expect(KafkaConsumer.seekTimeoutArgument(.seconds(10), version: 0x0206_01ff) == 10_000)
    }

    @Test("a timeout too long for an Int32 of microseconds waits as long as one can")
    func clamped() {
        #expect(KafkaConsumer.seekTimeoutArgument(.seconds(3_600), version: 0x0200_02ff) == Int32.max)
    }
}
