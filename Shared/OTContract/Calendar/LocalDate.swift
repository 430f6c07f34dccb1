import Foundation

/// A calendar date without a time of day or a time zone, written `YYYY-MM-DD` (ISO 8601) on the wire.
///
/// Dates in the contract (birth dates, effective dates, deadlines) are local Norwegian dates: a status that takes
/// effect on 1 August does so for the whole day, wherever the reader is.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, JSONStringValue {
    /// The year, 1–9999.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31.
    public let day: Int

    /// Creates a date from its parts.
    /// - Throws: ``ContractError/invalidValue(kind:value:reason:)`` when there is no such date (such as 2026-02-29).
    public init(year: Int, month: Int, day: Int) throws(ContractError) {
        guard CivilCalendar.isValid(year: year, month: month, day: day) else {
            throw .invalidValue(kind: "date", value: "\(year)-\(month)-\(day)", reason: "no such date")
        }
        self.init(unchecked: year, month, day)
    }

    /// Parses a date written `YYYY-MM-DD`.
    /// - Throws: ``ContractError/invalidValue(kind:value:reason:)`` when the text is not such a date.
    public init(_ text: String) throws(ContractError) {
        var utf8 = text  // read in place: a short string's bytes need no array
        // `withUTF8` rethrows untyped: the typed error comes out as a result.
        self = try utf8.withUTF8 { bytes in Result { () throws(ContractError) in try LocalDate(utf8: bytes) } }.get()
    }

    /// Parses a date written `YYYY-MM-DD` in UTF-8 `bytes` (a column of a store, read in place).
    /// - Throws: ``ContractError/invalidValue(kind:value:reason:)`` when the text is not such a date.
    public init(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(ContractError) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = CivilCalendar.digits(bytes, 0, 4), let month = CivilCalendar.digits(bytes, 5, 2),
            let day = CivilCalendar.digits(bytes, 8, 2)
        else {
            throw .invalidValue(
                kind: "date", value: String(decoding: bytes, as: UTF8.self), reason: "expected YYYY-MM-DD")
        }
        guard CivilCalendar.isValid(year: year, month: month, day: day) else {
            throw .invalidValue(kind: "date", value: String(decoding: bytes, as: UTF8.self), reason: "no such date")
        }
        self.init(unchecked: year, month, day)
    }

    /// The date `daysSince1970` days after 1970-01-01.
    public init(daysSince1970: Int) {
        let civil = CivilCalendar.civil(daysSince1970: daysSince1970)
        self.init(unchecked: civil.year, civil.month, civil.day)
    }

    /// The date an instant falls on in Norway, with Norway's offset from UTC remembered per hour (``ZoneOffsets``).
    public init(_ date: Date) {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down))
        self.init(seconds: seconds, offset: ZoneOffsets.norway.secondsFromGMT(at: seconds))
    }

    /// The date an instant falls on in a time zone.
    /// - Parameters:
    ///   - date: The instant.
    ///   - timeZone: The time zone to read the date in.
    public init(_ date: Date, in timeZone: TimeZone) {
        self.init(seconds: Int((date.timeIntervalSince1970).rounded(.down)), offset: timeZone.secondsFromGMT(for: date))
    }

    /// The date of the instant `seconds` after 1970-01-01 00:00 UTC, where the offset from UTC is `offset` seconds.
    private init(seconds: Int, offset: Int) {
        self.init(daysSince1970: Int((Double(seconds + offset) / 86_400).rounded(.down)))
    }

    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Today's date in Norway.
    public static func today() -> LocalDate { LocalDate(Date()) }

    /// Today's date in a time zone.
    public static func today(in timeZone: TimeZone) -> LocalDate { LocalDate(Date(), in: timeZone) }

    /// The number of days since 1970-01-01 (negative before it).
    public var daysSince1970: Int { CivilCalendar.daysSince1970(year: year, month: month, day: day) }

    /// The date `days` days later (or earlier, when negative).
    public func adding(days: Int) -> LocalDate { LocalDate(daysSince1970: daysSince1970 + days) }

    /// The number of days from this date to `other`; negative when `other` is earlier.
    public func days(until other: LocalDate) -> Int { other.daysSince1970 - daysSince1970 }

    /// The school year (1 August – 31 July) this date falls in.
    public var schoolYear: SchoolYear { SchoolYear(containing: self) }

    /// The age in completed years on `date` of someone born on this date.
    ///
    /// Someone born on 29 February has their birthday on 1 March in years without one.
    public func age(on date: LocalDate) -> Int {
        let years = date.year - year
        return (date.month, date.day) < (month, day) ? years - 1 : years
    }

    /// The age at the end of `year` of someone born on this date: the age Udir's and SSB's statistics use.
    public func ageAtEndOfYear(_ year: Int) -> Int { year - self.year }

    /// The date written `YYYY-MM-DD`.
    public var description: String {
        guard CivilCalendar.fits(year, 4), CivilCalendar.fits(month, 2), CivilCalendar.fits(day, 2) else {
            return "\(CivilCalendar.padded(year, 4))-\(CivilCalendar.padded(month, 2))-\(CivilCalendar.padded(day, 2))"
        }
        // Ten bytes in place: a short string, no allocation.
        return String(unsafeUninitializedCapacity: 10) { buffer in
            CivilCalendar.write(year, width: 4, into: buffer, at: 0)
            buffer[4] = UInt8(ascii: "-")
            CivilCalendar.write(month, width: 2, into: buffer, at: 5)
            buffer[7] = UInt8(ascii: "-")
            CivilCalendar.write(day, width: 2, into: buffer, at: 8)
            return 10
        }
    }

    /// Orders dates chronologically.
    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// The `YYYY-MM-DD` string the value is written as.
    public var jsonString: String { description }

    /// Reads a `YYYY-MM-DD` string.
    public init(jsonString: String) throws(ContractError) { try self.init(jsonString) }
}

extension TimeZone {
    /// Norway's time zone (`Europe/Oslo`), or UTC+1 where the time-zone database is missing.
    public static let norway: TimeZone =
        TimeZone(identifier: "Europe/Oslo") ?? TimeZone(secondsFromGMT: 3600) ?? .gmt
}
