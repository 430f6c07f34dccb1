/// A Norwegian school year, 1 August to 31 July, written `2026-2027` on the wire.
public struct SchoolYear: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, JSONStringValue {
    /// The calendar year the school year starts in (on 1 August).
    public let startYear: Int

    /// The school year that starts on 1 August of `startYear`.
    public init(startYear: Int) {
        self.startYear = startYear
    }

    /// The school year a date falls in: a date from 1 August belongs to the school year starting that year, a date
    /// up to 31 July to the one that started the year before.
    public init(containing date: LocalDate) {
        self.startYear = date.month >= 8 ? date.year : date.year - 1
    }

    /// Parses a school year written `YYYY-YYYY`, the second year one after the first.
    /// - Throws: ``ContractError/invalidValue(kind:value:reason:)`` when the text is not such a school year.
    public init(_ text: String) throws(ContractError) {
        var utf8 = text  // read in place: a short string's bytes need no array
        // `withUTF8` rethrows untyped: the typed error comes out as a result.
        self = try utf8.withUTF8 { bytes in Result { () throws(ContractError) in try SchoolYear(utf8: bytes) } }.get()
    }

    /// Parses a school year written `YYYY-YYYY` in UTF-8 `bytes` (a column of a store, read in place).
    /// - Throws: ``ContractError/invalidValue(kind:value:reason:)`` when the text is not such a school year.
    public init(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(ContractError) {
        guard bytes.count == 9, bytes[4] == UInt8(ascii: "-"), let first = CivilCalendar.digits(bytes, 0, 4),
            let second = CivilCalendar.digits(bytes, 5, 4)
        else {
            throw .invalidValue(
                kind: "school year", value: String(decoding: bytes, as: UTF8.self),
                reason: "expected YYYY-YYYY, such as 2026-2027")
        }
        guard second == first + 1, first >= 1 else {
            throw .invalidValue(
                kind: "school year", value: String(decoding: bytes, as: UTF8.self),
                reason: "the second year must follow the first")
        }
        self.startYear = first
    }

    /// The calendar year the school year ends in (on 31 July).
    public var endYear: Int { startYear + 1 }

    /// 1 August, the first day.
    public var firstDay: LocalDate { LocalDate(unchecked: startYear, 8, 1) }

    /// 31 July, the last day.
    public var lastDay: LocalDate { LocalDate(unchecked: endYear, 7, 31) }

    /// Whether a date falls in this school year.
    public func contains(_ date: LocalDate) -> Bool { firstDay <= date && date <= lastDay }

    /// The school year after this one.
    public var next: SchoolYear { SchoolYear(startYear: startYear + 1) }

    /// The school year before this one.
    public var previous: SchoolYear { SchoolYear(startYear: startYear - 1) }

    /// The date of a month and day within this school year: August to December fall in ``startYear``, January to
    /// July in ``endYear``. `date(month: 2, day: 1)` is the February reporting date.
    /// - Throws: ``ContractError/invalidValue(kind:value:reason:)`` when there is no such date in the school year.
    public func date(month: Int, day: Int) throws(ContractError) -> LocalDate {
        try LocalDate(year: month >= 8 ? startYear : endYear, month: month, day: day)
    }

    /// The school year written `YYYY-YYYY`, such as `2026-2027`.
    public var description: String {
        guard CivilCalendar.fits(startYear, 4), CivilCalendar.fits(endYear, 4) else {
            return "\(CivilCalendar.padded(startYear, 4))-\(CivilCalendar.padded(endYear, 4))"
        }
        return String(unsafeUninitializedCapacity: 9) { buffer in
            CivilCalendar.write(startYear, width: 4, into: buffer, at: 0)
            buffer[4] = UInt8(ascii: "-")
            CivilCalendar.write(endYear, width: 4, into: buffer, at: 5)
            return 9
        }
    }

    /// Orders school years chronologically.
    public static func < (lhs: SchoolYear, rhs: SchoolYear) -> Bool { lhs.startYear < rhs.startYear }

    /// The `YYYY-YYYY` string the value is written as.
    public var jsonString: String { description }

    /// Reads a `YYYY-YYYY` string.
    public init(jsonString: String) throws(ContractError) { try self.init(jsonString) }
}
