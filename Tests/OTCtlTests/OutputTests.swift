import Foundation
import Kafka
import OTContract
import Testing

@testable import OTCtl

@Suite("otctl output: national IDs masked, events on one line", .timeLimit(.minutes(2)))
struct OutputTests {
    @Test(
        "every run of exactly eleven digits is masked to its first six",
        arguments: [
            ("key 01820850056", "key 018208*****"),
            (
                #"{"personId":"01820850056","other":"12345678901"}"#,
                #"{"personId":"018208*****","other":"123456*****"}"#
            ),
            ("0182085005", "0182085005"),
            ("018208500561", "018208500561"),
            ("p3@12345678901x", "p3@123456*****x"),
            ("no digits", "no digits"),
        ])
    func masking(text: String, expected: String) {
        #expect(Masking.maskNationalIDs(in: text) == expected)
    }

    @Test("an event line: time, partition@offset, type, masked key and data")
    func eventLine() throws {
        let payload = try ApplicationMissing(
            personId: NationalID("01820850056"), schoolYear: SchoolYear("2026-2027"), deadline: LocalDate("2026-03-01"))
        let event = try CloudEvent(
            payload, id: "e-1", source: "urn:test", time: Timestamp(rfc3339: "2026-03-01T09:12:00Z").date,
            correlationID: "abcdef0123456789")
        let line = EventLine.format(
            partition: 3, offset: 1234, key: "01820850056", value: event.structuredJSON(),
            headers: [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)])
        #expect(
            line == "2026-03-01T09:12:00.000Z  p3@1234  no.vigo.application.missing  key 018208*****  corr abcdef01  "
                + #"{"deadline":"2026-03-01","personId":"018208*****","schoolYear":"2026-2027"}"#)
        #expect(!line.contains("01820850056"))
    }

    @Test("with --headers, a dead letter's headers follow its line, national IDs masked")
    func headers() {
        let headers = [
            KafkaHeader(name: "ot.error", string: "invalid national ID: 01820850056"),
            KafkaHeader(name: "ot.source.topic", string: "vigo.enrollment.v1"), KafkaHeader(name: "empty", value: nil),
        ]
        let line = EventLine.format(
            partition: 2, offset: 9, key: "k", value: nil, headers: headers, showHeaders: true)
        #expect(
            line == "p2@9  (tombstone)  key k\n    headers: ot.error=invalid national ID: 018208*****; "
                + "ot.source.topic=vigo.enrollment.v1; empty=-")
        #expect(
            EventLine.format(partition: 2, offset: 9, key: "k", value: nil, headers: headers)
                == "p2@9  (tombstone)  key k")
    }

    @Test("a tombstone and a value that is not a CloudEvent are shown as such, masked")
    func oddMessages() {
        #expect(
            EventLine.format(partition: 0, offset: 7, key: "county:50:current", value: nil, headers: [])
                == "p0@7  (tombstone)  key county:50:current")
        let line = EventLine.format(
            partition: 1, offset: 2, key: "01820850056", value: Array(#"{"personId":"01820850056"}"#.utf8),
            headers: [])
        #expect(line.hasPrefix("p1@2  not a CloudEvent: missing CloudEvents attribute 'specversion'"))
        #expect(!line.contains("01820850056"))
    }

    @Test("a national ID where long data is clipped is masked first: no digits of it beyond the birth date show")
    func clippedAcrossAnID() {
        // The clip keeps 400 characters; the padding moves the ID across that edge, one character at a time.
        for padding in 360...400 {
            let data = #"{"a":"\#(String(repeating: "x", count: padding))","personId":"01820850056"}"#
            let event = CloudEvent(source: "urn:test", type: "t", data: Array(data.utf8))
            let line = EventLine.format(partition: 0, offset: 0, key: nil, value: event.structuredJSON(), headers: [])
            #expect(!line.contains("0182085"), "padding \(padding): \(line.suffix(30))")
        }
        let raw = Array((String(repeating: "y", count: 190) + "01820850056").utf8)
        let line = EventLine.format(partition: 0, offset: 0, key: nil, value: raw, headers: [])
        #expect(line.contains("not a CloudEvent") && !line.contains("0182085"), "\(line.suffix(30))")
    }

    @Test("long data is clipped unless the whole is asked for")
    func clipped() throws {
        let data = String(repeating: "x", count: 1_000)
        let event = CloudEvent(source: "urn:test", type: "t", data: Array(#"{"long":"\#(data)"}"#.utf8))
        let line = EventLine.format(partition: 0, offset: 0, key: nil, value: event.structuredJSON(), headers: [])
        #expect(line.hasSuffix("…") && line.count < 600)
        let full = EventLine.format(
            partition: 0, offset: 0, key: nil, value: event.structuredJSON(), headers: [], full: true)
        #expect(full.hasSuffix(#""}"#))
    }
}
