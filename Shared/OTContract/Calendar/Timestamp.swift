import Foundation

/// An instant, written in RFC 3339 on the wire (`2026-03-01T09:30:00.000Z`), kept to the millisecond.
///
/// The contract keeps instants to whole milliseconds, Kafka's own timestamp precision, so that an instant reads back
/// exactly as it was written: ``init(_:)`` rounds to the nearest millisecond, and parsing rounds any finer fraction.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, JSONStringValue {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let millisecondsSince1970: Int64

    /// The instant `millisecondsSince1970` milliseconds after the epoch.
    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// An instant, rounded to the nearest millisecond.
    public init(_ date: Date) {
        self.millisecondsSince1970 = Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The current instant.
    public static func now() -> Timestamp { Timestamp(Date()) }

    /// The instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }

    /// The UTC date of the instant.
    public var utcDate: LocalDate {
        LocalDate(daysSince1970: Int(millisecondsSince1970.floorDivided(by: 86_400_000)))
    }

    /// Parses an RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of a second, and `Z` or a
    /// numeric offset such as `+01:00`. Lower-case `t` and `z` are accepted, as RFC 3339 allows.
    /// - Throws: ``ContractError/invalidValue(kind:value:reason:)`` when the text is not such a timestamp.
    public init(rfc3339 text: String) throws(ContractError) {
        var utf8 = text
        switch utf8.withUTF8({ Self.milliseconds(rfc3339: $0) }) {
        case .success(let milliseconds):
            self.millisecondsSince1970 = milliseconds
        case .failure(let failure):
            throw .invalidValue(kind: "RFC 3339 timestamp", value: text, reason: failure.reason)
        }
    }

    /// Why bytes are not an RFC 3339 timestamp.
    struct ParseFailure: Error {
        var reason: String
    }

    /// Parses an RFC 3339 `date-time` (see ``init(rfc3339:)``) from its UTF-8 bytes, without making a string of them:
    /// milliseconds since 1970-01-01T00:00:00Z.
    static func milliseconds(rfc3339 bytes: UnsafeBufferPointer<UInt8>) -> Result<Int64, ParseFailure> {
        func invalid(_ reason: String) -> Result<Int64, ParseFailure> { .failure(ParseFailure(reason: reason)) }
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = CivilCalendar.digits(bytes, 0, 4), let month = CivilCalendar.digits(bytes, 5, 2),
            let day = CivilCalendar.digits(bytes, 8, 2), let hour = CivilCalendar.digits(bytes, 11, 2),
            let minute = CivilCalendar.digits(bytes, 14, 2), let second = CivilCalendar.digits(bytes, 17, 2)
        else {
            return invalid("expected YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM)")
        }
        guard CivilCalendar.isValid(year: year, month: month, day: day) else { return invalid("no such date") }
        guard hour <= 23, minute <= 59, second <= 60 else { return invalid("no such time of day") }

        var index = 19
        var milliseconds: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digitCount = 0
            var fraction: Int64 = 0
            var roundUp = false
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                let digit = Int64(bytes[index] - UInt8(ascii: "0"))
                if digitCount < 3 {
                    fraction = fraction * 10 + digit
                } else if digitCount == 3 {
                    roundUp = digit >= 5
                }
                digitCount += 1
                index += 1
            }
            guard digitCount > 0 else { return invalid("a fraction of a second needs at least one digit") }
            for _ in digitCount..<max(digitCount, 3) { fraction *= 10 }
            milliseconds = fraction + (roundUp ? 1 : 0)
        }

        var offsetSeconds = 0
        guard index < bytes.count else { return invalid("missing time-zone offset (Z or +HH:MM)") }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 <= bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let hours = CivilCalendar.digits(bytes, index + 1, 2),
                let minutes = CivilCalendar.digits(bytes, index + 4, 2), hours <= 23, minutes <= 59
            else { return invalid("time-zone offset must be Z or +HH:MM") }
            offsetSeconds = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            return invalid("time-zone offset must be Z or +HH:MM")
        }
        guard index == bytes.count else { return invalid("unexpected characters after the time-zone offset") }

        let days = Int64(CivilCalendar.daysSince1970(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return .success(seconds * 1000 + milliseconds)
    }

    /// The instant in RFC 3339, in UTC with milliseconds: `2026-03-01T09:30:00.000Z`.
    public var rfc3339: String {
        if let text = withRFC3339UTF8({ String(decoding: $0, as: UTF8.self) }) { return text }
        return rfc3339Text
    }

    /// Runs `body` with the 24 bytes of ``rfc3339``, written without building strings; `nil` for a year outside
    /// 0...9999, which does not fit them.
    func withRFC3339UTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        let milliseconds = Int(millisecondsSince1970.floorModulo(by: 1000))
        let totalSeconds = millisecondsSince1970.floorDivided(by: 1000)
        let date = LocalDate(daysSince1970: Int(totalSeconds.floorDivided(by: 86_400)))
        let secondOfDay = Int(totalSeconds.floorModulo(by: 86_400))
        guard (0...9999).contains(date.year) else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { text in
            var position = 0
            func digits(_ value: Int, _ count: Int, then separator: UInt8) {
                var value = value
                for offset in stride(from: count - 1, through: 0, by: -1) {
                    text[position + offset] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                text[position + count] = separator
                position += count + 1
            }
            digits(date.year, 4, then: UInt8(ascii: "-"))
            digits(date.month, 2, then: UInt8(ascii: "-"))
            digits(date.day, 2, then: UInt8(ascii: "T"))
            digits(secondOfDay / 3600, 2, then: UInt8(ascii: ":"))
            digits(secondOfDay / 60 % 60, 2, then: UInt8(ascii: ":"))
            digits(secondOfDay % 60, 2, then: UInt8(ascii: "."))
            digits(milliseconds, 3, then: UInt8(ascii: "Z"))
            return body(UnsafeBufferPointer(text))
        }
    }

    private var rfc3339Text: String {
        let milliseconds = Int(millisecondsSince1970.floorModulo(by: 1000))
        let totalSeconds = millisecondsSince1970.floorDivided(by: 1000)
        let days = Int(totalSeconds.floorDivided(by: 86_400))
        let secondOfDay = Int(totalSeconds.floorModulo(by: 86_400))
        let date = LocalDate(daysSince1970: days)
        let time =
            CivilCalendar.padded(secondOfDay / 3600, 2) + ":" + CivilCalendar.padded(secondOfDay / 60 % 60, 2)
            + ":" + CivilCalendar.padded(secondOfDay % 60, 2)
        return "\(date)T\(time).\(CivilCalendar.padded(milliseconds, 3))Z"
    }

    /// The instant in RFC 3339 (see ``rfc3339``).
    public var description: String { rfc3339 }

    /// Orders instants chronologically.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    /// The RFC 3339 string the value is written as.
    public var jsonString: String { rfc3339 }

    /// Reads an RFC 3339 string.
    public init(jsonString: String) throws(ContractError) { try self.init(rfc3339: jsonString) }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(by divisor: Int64) -> Int64 {
        self - floorDivided(by: divisor) * divisor
    }
}
