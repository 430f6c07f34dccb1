import Foundation
import Testing

@testable import OTContract

@Suite("Time-zone offsets remembered per hour", .timeLimit(.minutes(2)))
struct ZoneOffsetsTests {
    @Test("Norway's offsets, remembered, agree with the time-zone rules at every quarter hour of three years")
    func threeYears() throws {
        // 2025–2027: six changes of summer time, each on the hour (01:00 UTC).
        let offsets = ZoneOffsets(.norway)
        let start = try Timestamp(rfc3339: "2025-01-01T00:00:00Z").date.timeIntervalSince1970
        for quarter in 0..<(3 * 366 * 96) {
            let seconds = Int(start) + quarter * 900 + 450
            let expected = TimeZone.norway.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
            #expect(offsets.secondsFromGMT(at: seconds) == expected)
            #expect(offsets.secondsFromGMT(at: seconds) == expected)  // the second time from memory
        }
    }

    @Test("two hours that share a slot, asked in turn, each get their own offset")
    func sharedSlot() throws {
        // 2026-01-15 12:00 UTC is winter time (+01:00); of the hours a whole number of tables later, the first in
        // summer time is found from the rules, so that the test holds for any size of the table.
        let zone = TimeZone.norway
        func offset(_ seconds: Int) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))) }
        let winter = Int(try Timestamp(rfc3339: "2026-01-15T12:00:00Z").date.timeIntervalSince1970)
        let later = try #require(
            (1...6).lazy.map { winter + $0 * ZoneOffsets.slotCount * 3_600 }.first { offset($0) != offset(winter) })
        let offsets = ZoneOffsets(zone)
        for _ in 0..<3 {
            #expect(offsets.secondsFromGMT(at: winter) == offset(winter))
            #expect(offsets.secondsFromGMT(at: later) == offset(later))
        }
    }

    @Test("in an hour with a change in it, each second gets the offset of its own side of the change")
    func changeWithinAnHour() throws {
        // Norway's change from local mean time in the 1890s is not on the hour; it is found from the rules
        // themselves, as the time-zone database may have Oslo's own or Berlin's.
        let zone = TimeZone.norway
        let from = Int(try Timestamp(rfc3339: "1890-01-01T00:00:00Z").date.timeIntervalSince1970)
        func offset(_ seconds: Int) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))) }
        let hours = (0..<(10 * 366 * 24)).lazy.map { from + $0 * 3_600 }
        let hour = try #require(hours.first { offset($0) != offset($0 + 3_599) })
        // The early half first, so that the hour's first offset is the one met first.
        let offsets = ZoneOffsets(zone)
        for second in stride(from: 0, to: 3_600, by: 10) {
            #expect(offsets.secondsFromGMT(at: hour + second) == offset(hour + second))
        }
        // Both offsets occur in the hour.
        #expect(offset(hour) != offset(hour + 3_599))
    }

    @Test("instants before 1970 fall in the hour they belong to")
    func beforeEpoch() {
        let utcPlusOne = ZoneOffsets(TimeZone(secondsFromGMT: 3_600)!)
        for seconds in [-1, -3_599, -3_600, -3_601, -86_400] {
            #expect(utcPlusOne.secondsFromGMT(at: seconds) == 3_600)
        }
        // In Norway (no summer time in 1969): 1969-12-31 23:59:59 local is one second before 1970-01-01T00:00:00+01:00.
        #expect(LocalDate(Date(timeIntervalSince1970: -3_601)).description == "1969-12-31")
        #expect(LocalDate(Date(timeIntervalSince1970: -3_600)).description == "1970-01-01")
    }
}
