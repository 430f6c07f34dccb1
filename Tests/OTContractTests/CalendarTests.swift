import Foundation
import OTContract
import Testing

@Suite("Dates, school years and timestamps", .timeLimit(.minutes(2)))
struct CalendarTests {
    @Test("a school year runs from 1 August to 31 July")
    func schoolYearBoundaries() throws {
        #expect(SchoolYear(containing: Samples.localDate("2026-07-31")) == SchoolYear(startYear: 2025))
        #expect(SchoolYear(containing: Samples.localDate("2026-08-01")) == SchoolYear(startYear: 2026))
        #expect(Samples.localDate("2027-01-01").schoolYear.description == "2026-2027")
        let year = try SchoolYear("2026-2027")
        #expect(year.firstDay == Samples.localDate("2026-08-01"))
        #expect(year.lastDay == Samples.localDate("2027-07-31"))
        #expect(year.contains(Samples.localDate("2026-08-01")))
        #expect(year.contains(Samples.localDate("2027-07-31")))
        #expect(!year.contains(Samples.localDate("2026-07-31")))
        #expect(!year.contains(Samples.localDate("2027-08-01")))
        #expect(year.next.description == "2027-2028")
        #expect(year.previous < year)
        #expect(try year.date(month: 2, day: 1) == Samples.localDate("2027-02-01"))
        #expect(try year.date(month: 9, day: 1) == Samples.localDate("2026-09-01"))
        #expect(throws: ContractError.self) { try SchoolYear(startYear: 2026).date(month: 2, day: 29) }
    }

    @Test(
        "a school year is written YYYY-YYYY with consecutive years",
        arguments: ["2026-2028", "2026-2025", "2026/2027", "26-27", "2026-2027 ", "abcd-efgh", ""]
    )
    func invalidSchoolYear(text: String) {
        #expect(throws: ContractError.self) { try SchoolYear(text) }
    }

    @Test("a date is written YYYY-MM-DD and must exist")
    func localDate() throws {
        #expect(try LocalDate("2024-02-29").description == "2024-02-29")
        for text in [
            "2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-4-01", "26-04-01",
            "2026-04-01T00:00:00Z",
        ] {
            #expect(throws: ContractError.self, "\(text)") { try LocalDate(text) }
        }
        #expect(try LocalDate(year: 2000, month: 2, day: 29).day == 29)
        #expect(throws: ContractError.invalidValue(kind: "date", value: "2026-02-30", reason: "no such date")) {
            try LocalDate("2026-02-30")
        }
    }

    @Test("every date from year 1 to 9999 and every school year is written with zero-padded fields and reads back")
    func textsOfTheWholeRange() throws {
        let first = try LocalDate("0001-01-01").daysSince1970
        let last = try LocalDate("9999-12-31").daysSince1970
        // Every seventh day: each day of each month is met many times over the centuries.
        for days in stride(from: first, through: last, by: 7) {
            let date = LocalDate(daysSince1970: days)
            let text = String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
            #expect(date.description == text)
            #expect(try LocalDate(text) == date)
        }
        for startYear in 1...9_998 {
            let year = SchoolYear(startYear: startYear)
            let text = String(format: "%04d-%04d", startYear, startYear + 1)
            #expect(year.description == text)
            #expect(try SchoolYear(text) == year)
        }
    }

    @Test("dates compare, count and add days, and give ages")
    func arithmetic() {
        let birth = Samples.localDate("2008-02-29")
        #expect(birth < Samples.localDate("2008-03-01"))
        #expect(Samples.localDate("1970-01-01").daysSince1970 == 0)
        #expect(Samples.localDate("2026-12-31").adding(days: 1) == Samples.localDate("2027-01-01"))
        #expect(Samples.localDate("2024-03-01").adding(days: -1) == Samples.localDate("2024-02-29"))
        #expect(Samples.localDate("2026-08-01").days(until: Samples.localDate("2027-07-31")) == 364)
        #expect(birth.age(on: Samples.localDate("2026-02-28")) == 17)
        #expect(birth.age(on: Samples.localDate("2026-03-01")) == 18)
        #expect(birth.ageAtEndOfYear(2026) == 18)
        #expect(LocalDate(daysSince1970: -1) == Samples.localDate("1969-12-31"))
    }

    @Test("a date is read from an instant in Norway's time zone")
    func fromInstant() throws {
        let lateEvening = try Timestamp(rfc3339: "2026-07-31T22:30:00Z")  // 00:30 on 1 August in Oslo (CEST)
        let oslo = TimeZone(identifier: "Europe/Oslo")
        try #require(oslo != nil)
        #expect(LocalDate(lateEvening.date).schoolYear.description == "2026-2027")
        #expect(LocalDate(lateEvening.date, in: .gmt) == Samples.localDate("2026-07-31"))
    }

    @Test(
        "the date in Norway turns at local midnight, also on the days summer time starts and ends",
        arguments: [
            // Central European Time is UTC+1, summer time UTC+2; in 2026 summer time runs from 29 March 01:00 UTC to
            // 25 October 01:00 UTC. Norway kept no summer time in 1969.
            ("2026-03-28T22:59:59Z", "2026-03-28"), ("2026-03-28T23:00:00Z", "2026-03-29"),
            ("2026-03-29T00:59:59Z", "2026-03-29"), ("2026-03-29T01:00:00Z", "2026-03-29"),
            ("2026-03-29T21:59:59Z", "2026-03-29"), ("2026-03-29T22:00:00Z", "2026-03-30"),
            ("2026-10-24T21:59:59Z", "2026-10-24"), ("2026-10-24T22:00:00Z", "2026-10-25"),
            ("2026-10-25T00:59:59Z", "2026-10-25"), ("2026-10-25T01:00:00Z", "2026-10-25"),
            ("2026-10-25T22:59:59Z", "2026-10-25"), ("2026-10-25T23:00:00Z", "2026-10-26"),
            ("1969-12-31T22:59:59Z", "1969-12-31"), ("1969-12-31T23:00:00Z", "1970-01-01"),
        ]
    )
    func norwegianMidnight(instant: String, date: String) throws {
        let instant = try Timestamp(rfc3339: instant).date
        // Twice: the second time from the offset remembered for the hour.
        #expect(LocalDate(instant) == Samples.localDate(date))
        #expect(LocalDate(instant) == Samples.localDate(date))
        #expect(LocalDate(instant, in: .norway) == Samples.localDate(date))
    }

    @Test(
        "RFC 3339 timestamps are read with offsets and fractions, kept to the millisecond",
        arguments: [
            ("2026-03-02T08:30:00Z", "2026-03-02T08:30:00.000Z"),
            ("2026-03-02t08:30:00z", "2026-03-02T08:30:00.000Z"),
            ("2026-03-02T08:30:00.5Z", "2026-03-02T08:30:00.500Z"),
            ("2026-03-02T08:30:00.123456789Z", "2026-03-02T08:30:00.123Z"),
            ("2026-03-02T08:30:00.9996Z", "2026-03-02T08:30:01.000Z"),
            ("2026-03-02T08:30:00+01:00", "2026-03-02T07:30:00.000Z"),
            ("2026-01-01T00:30:00-01:30", "2026-01-01T02:00:00.000Z"),
            ("2026-01-01T00:00:00+01:00", "2025-12-31T23:00:00.000Z"),
            ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
        ]
    )
    func timestamps(text: String, normalised: String) throws {
        let timestamp = try Timestamp(rfc3339: text)
        #expect(timestamp.rfc3339 == normalised)
        #expect(try Timestamp(rfc3339: timestamp.rfc3339) == timestamp)
        #expect(Timestamp(timestamp.date) == timestamp)
    }

    @Test("any instant from year 1 to 9999 is written in RFC 3339 and reads back; later years are written too")
    func timestampRoundTrips() throws {
        var random = SplitMix64(seed: 3339)
        let first = try Timestamp(rfc3339: "0001-01-01T00:00:00Z").millisecondsSince1970
        let last = try Timestamp(rfc3339: "9999-12-31T23:59:59.999Z").millisecondsSince1970
        for _ in 0..<5_000 {
            let timestamp = Timestamp(
                millisecondsSince1970: first + Int64(random.next() % UInt64(last - first + 1)))
            #expect(try Timestamp(rfc3339: timestamp.rfc3339) == timestamp, "\(timestamp.rfc3339)")
        }
        #expect(Timestamp(millisecondsSince1970: last + 1).rfc3339 == "10000-01-01T00:00:00.000Z")
    }

    @Test(
        "malformed timestamps are rejected",
        arguments: [
            "2026-03-02", "2026-03-02T08:30:00", "2026-03-02 08:30:00Z", "2026-03-02T24:00:00Z",
            "2026-02-30T08:00:00Z", "2026-03-02T08:30:00.Z", "2026-03-02T08:30:00+0100", "2026-03-02T08:30:00Z ",
            "2026-03-02T08:30:00+25:00",
        ]
    )
    func invalidTimestamps(text: String) {
        #expect(throws: ContractError.self) { try Timestamp(rfc3339: text) }
    }

    /// Expected dates from the law's text: the upper age (at the end of the calendar year) was 21 until 1 August
    /// 2024 and is 24 from then; a youth leaves the group on 31 December of the year they reach the age in force.
    @Test(
        "OT's age group follows the law in force on the date",
        arguments: [
            // birth date, date, in the group, last day in it
            ("2002-03-03", "2023-10-02", true, "2023-12-31"),  // 21 at the end of 2023, old law
            ("2001-05-05", "2023-10-02", false, nil),  // 22 at the end of 2023, old law
            ("2001-05-05", "2024-07-31", false, nil),  // 23 at the end of 2024, the old law's last day
            ("2001-05-05", "2024-08-01", true, "2025-12-31"),  // the new law's first day; 24 at the end of 2025
            ("2003-06-06", "2024-03-01", true, "2027-12-31"),  // old law; reaches 24 at the end of 2027
            ("2011-01-01", "2026-01-01", true, "2035-12-31"),  // 15 at the end of 2026
            ("2012-01-01", "2026-12-31", false, nil),  // 14 at the end of 2026
        ] as [(String, String, Bool, String?)]
    )
    func ageGroup(birth: String, date: String, inGroup: Bool, lastDay: String?) throws {
        let birthDate = try LocalDate(birth)
        let day = try LocalDate(date)
        #expect(OTAgeGroup.contains(birthDate: birthDate, on: day) == inGroup)
        if let lastDay { #expect(OTAgeGroup.lastDay(birthDate: birthDate, from: day) == (try LocalDate(lastDay))) }
    }
}
