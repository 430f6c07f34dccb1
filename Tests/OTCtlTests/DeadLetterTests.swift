import ArgumentParser
import Foundation
import Kafka
import OTContract
import Testing

@testable import OTCtl

@Suite("otctl dlq: dead letters read, positions and options", .timeLimit(.minutes(2)))
struct DeadLetterTests {
    static let contentType = KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)

    /// The headers the runtime adds after the original ones, then the relay's `ot-outbox-id`.
    static func deadLetterHeaders(topic: String, partition: Int32, offset: Int64, error: String) -> [KafkaHeader] {
        [
            KafkaHeader(name: DeadLetterHeader.sourceTopic, string: topic),
            KafkaHeader(name: DeadLetterHeader.sourcePartition, string: "\(partition)"),
            KafkaHeader(name: DeadLetterHeader.sourceOffset, string: "\(offset)"),
            KafkaHeader(name: DeadLetterHeader.error, string: error),
            KafkaHeader(name: DeadLetterHeader.attempts, string: "3"),
            KafkaHeader(name: "ot-outbox-id", string: "dlq-\(offset)"),
        ]
    }

    @Test(
        "positions are partition@offset",
        arguments: [
            ("3@17", DeadLetterPosition(partition: 3, offset: 17)),
            ("p11@0", DeadLetterPosition(partition: 11, offset: 0)),
            ("17", nil), ("3@", nil), ("@17", nil), ("-1@2", nil), ("3@-2", nil), ("a@b", nil), ("3@17@1", nil),
        ])
    func position(text: String, expected: DeadLetterPosition?) {
        #expect(DeadLetterPosition(text) == expected)
    }

    @Test("the original headers are those before the dead-letter headers; the replay goes to the source partition")
    func read() throws {
        let event = try CloudEvent(
            ApplicationMissing(
                personId: NationalID("01820850056"), schoolYear: SchoolYear("2026-2027"),
                deadline: LocalDate("2026-03-01")),
            id: "e-1", source: "urn:test", time: Timestamp(rfc3339: "2026-03-01T09:12:00Z").date)
        let original = [Self.contentType, KafkaHeader(name: "ot-outbox-id", string: "upstream-7")]
        let letter = DeadLetter(
            position: DeadLetterPosition(partition: 4, offset: 9),
            timestamp: try Timestamp(rfc3339: "2026-12-02T10:15:04.120Z").millisecondsSince1970,
            key: Array("01820850056".utf8), value: event.structuredJSON(),
            headers: original
                + Self.deadLetterHeaders(
                    topic: "vigo.enrollment.v1", partition: 4, offset: 1234,
                    error: "transient, attempts exhausted: register unavailable"))
        #expect(letter.originalHeaders == original, "an upstream ot-outbox-id before them is the original's")
        #expect(letter.event?.type == "no.vigo.application.missing" && letter.event?.id == "e-1")
        #expect(
            letter.line
                == "4@9  2026-12-02T10:15:04.120Z  from vigo.enrollment.v1 p4@1234  no.vigo.application.missing e-1  "
                + "key 018208*****  attempts 3  transient, attempts exhausted: register unavailable")
        let message = try letter.replayMessage()
        #expect(message.topic == "vigo.enrollment.v1" && message.partition == 4)
        #expect(message.key == Array("01820850056".utf8) && message.value == event.structuredJSON())
        #expect(message.headers == original)
    }

    @Test("dead-lettered twice with the headers on: the latest headers count, the first original ones are kept")
    func deadLetteredTwice() throws {
        let headers =
            [Self.contentType]
            + Self.deadLetterHeaders(topic: "ot.registrations.v1", partition: 2, offset: 10, error: "first")
            + Self.deadLetterHeaders(topic: "ot.registrations.v1", partition: 2, offset: 55, error: "second")
        let letter = DeadLetter(
            position: DeadLetterPosition(partition: 2, offset: 3), timestamp: nil, key: nil,
            value: Array("{not json".utf8), headers: headers)
        #expect(letter.originalHeaders == [Self.contentType])
        #expect(letter.sourceOffset == 55 && letter.error == "second")
        #expect(letter.line == "2@3  -  from ot.registrations.v1 p2@55  (not a CloudEvent)  key -  attempts 3  second")
    }

    @Test("a message without the source headers is listed, and refused for a replay")
    func noSource() {
        let letter = DeadLetter(
            position: DeadLetterPosition(partition: 0, offset: 0), timestamp: nil, key: Array("k".utf8), value: nil,
            headers: [])
        #expect(letter.line.contains("from no source (not written by the worker runtime)  (no value)"))
        #expect {
            try letter.replayMessage()
        } throws: { error in
            "\(error)".contains("0@0 names no source topic and partition")
        }
    }

    @Test("--since reads an RFC 3339 instant or a time ago")
    func since() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try DeadLetterQueue.instant("90m", now: now) == now.addingTimeInterval(-5_400))
        #expect(try DeadLetterQueue.instant("7d", now: now) == now.addingTimeInterval(-604_800))
        #expect(
            try DeadLetterQueue.instant("2026-12-01T08:00:00Z", now: now)
                == Timestamp(rfc3339: "2026-12-01T08:00:00Z").date)
        for text in ["yesterday", "5w", "-3h", ""] {
            #expect(throws: (any Error).self) { try DeadLetterQueue.instant(text, now: now) }
        }
    }

    @Test("list shows those since an instant, the last N of them")
    func shown() {
        let letters = (0..<5).map { index in
            DeadLetter(
                position: DeadLetterPosition(partition: 0, offset: Int64(index)), timestamp: Int64(index) * 1_000,
                key: nil, value: nil, headers: [])
        }
        let since = Date(timeIntervalSince1970: 2)
        #expect(DLQListCommand.shown(letters, since: since, limit: nil).map(\.position.offset) == [2, 3, 4])
        #expect(DLQListCommand.shown(letters, since: since, limit: 2).map(\.position.offset) == [3, 4])
        #expect(DLQListCommand.shown(letters, since: nil, limit: 10).count == 5)
    }

    @Test("a service names its dead-letter topic, with or without ot-")
    func topic() {
        #expect(DeadLetterQueue.topic(ofService: "ot-registrations") == "ot-registrations.dlq.v1")
        #expect(DeadLetterQueue.topic(ofService: "statistics") == "ot-statistics.dlq.v1")
        #expect(DeadLetterQueue.topic(ofService: "ot-followup-plans.dlq.v1") == "ot-followup-plans.dlq.v1")
        #expect(DeadLetterQueue.topic(ofService: "ot-counting-worker") == "ot-counting-worker.dlq.v1")
    }

    @Test("replay needs --offset or --all, not both; --since goes with --all")
    func replayOptions() throws {
        let offsets = try DLQReplayCommand.parse(["ot-registrations", "--offset", "3@17", "--offset", "p5@2"])
        #expect(
            try offsets.positions()
                == [DeadLetterPosition(partition: 3, offset: 17), DeadLetterPosition(partition: 5, offset: 2)])
        #expect(try DLQReplayCommand.parse(["registrations", "--all", "--since", "6h", "--dry-run"]).dryRun)
        for (arguments, expected) in [
            (["ot-registrations"], "choose the dead letters"),
            (["ot-registrations", "--all", "--offset", "3@17"], "choose the dead letters"),
            (["ot-registrations", "--offset", "3@17", "--since", "1h"], "--since goes with --all"),
            (["ot-registrations", "--offset", "17"], "--offset must be a dead letter's partition@offset"),
        ] {
            #expect {
                try DLQReplayCommand.parse(arguments)
            } throws: { error in
                DLQReplayCommand.message(for: error).contains(expected)
            }
        }
        #expect(throws: (any Error).self) { try DLQListCommand.parse(["ot-registrations", "--limit", "0"]) }
    }
}
