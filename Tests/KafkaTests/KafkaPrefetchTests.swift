import CRdKafka
import Testing

@testable import Kafka

@Suite("How far the consumer fetches ahead, by librdkafka's version", .timeLimit(.minutes(2)))
struct KafkaPrefetchTests {
    @Test("before 2.2.0 the queue keeps librdkafka's default and no property it does not know is set")
    func beforeTheBackoffSetting() {
        // 2.0.2 final (Debian 12's) and 2.1.1: a full queue stops fetching for a fixed second there.
        #expect(KafkaConsumerConfiguration.prefetchProperties(version: 0x0200_02ff).isEmpty)
        #expect(KafkaConsumerConfiguration.prefetchProperties(version: 0x0201_01ff).isEmpty)
    }

    @Test("from 2.2.0 a full queue pauses fetching briefly, so a small queue is enough")
    func withTheBackoffSetting() {
        for version: Int32 in [0x0202_00ff, 0x020c_01ff] {
            let properties = KafkaConsumerConfiguration.prefetchProperties(version: version)
            #expect(properties["fetch.queue.backoff.ms"] == "10")
            #expect(properties["queued.max.messages.kbytes"] == "4096")
        }
    }

    @Test("the version reported is the loaded library's: its number's major, minor and revision bytes")
    func loadedVersion() {
        // rd_kafka_version() is 0xMMmmrrxx: 2.0.2 final is 0x020002ff.
        let number = rd_kafka_version()
        let expected = "\(number >> 24 & 0xff).\(number >> 16 & 0xff).\(number >> 8 & 0xff)"
        #expect(KafkaConfiguration.librdkafkaVersion.hasPrefix(expected), "\(KafkaConfiguration.librdkafkaVersion)")
    }

    @Test("the loaded librdkafka knows the pause setting exactly from 2.2.0, as the consumer assumes")
    func loadedLibraryKnowsWhatIsSet() {
        // Setting a property librdkafka does not know fails the client's creation, so the version rule must agree
        // with the library: on Debian's 2.0.2 the setting is unknown, from 2.2.0 it is known.
        let known = CRdKafka_is_property("fetch.queue.backoff.ms") != 0
        #expect(known == (rd_kafka_version() >= 0x0202_0000))
        for name in KafkaConsumerConfiguration.prefetchProperties().keys {
            #expect(CRdKafka_is_property(name) != 0, "\(name)")
        }
    }

    @Test("a KAFKA_ variable wins over the consumer's defaults")
    func variablesWin() {
        var kafka = KafkaConfiguration(bootstrapServers: "localhost:9092")
        kafka.properties["queued.min.messages"] = "500"
        kafka.properties["queued.max.messages.kbytes"] = "32768"
        let properties = KafkaConsumerConfiguration(kafka: kafka, groupID: "g").librdkafkaProperties
        #expect(properties["queued.min.messages"] == "500")
        #expect(properties["queued.max.messages.kbytes"] == "32768")
    }
}
