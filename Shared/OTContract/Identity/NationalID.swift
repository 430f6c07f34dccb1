/// A Norwegian national identity number: a fødselsnummer (birth number) or a D-number, 11 digits
/// `DDMMYY III K1 K2`, checked on creation.
///
/// Accepted: both check-digit schemes (``CheckDigitScheme``), D-numbers (4 added to the first digit), synthetic
/// test numbers (80 added to the month, as Skatteetaten's Tenor issues them) and H-numbers and NAV's synthetic
/// numbers (40 added to the month). The birth date must be a real date in the century the individual digits give.
///
/// - Important: The number identifies a minor. ``description``, ``debugDescription`` and the reflection mirror all
///   show it masked (`010203*****`), so string interpolation in a log line never leaks it. Only ``digits`` gives the
///   full number: for the Kafka key and the store, never for a log.
///
/// The gender is deliberately not derived: from 2032 the number no longer tells it (gender comes in its own field).
public struct NationalID: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable, JSONStringValue
{
    /// How the first check digit (K1) was computed.
    public enum CheckDigitScheme: Sendable, Hashable {
        /// K1 = 11 − (weighted sum mod 11), where 11 becomes 0 and 10 makes the number invalid: every number issued
        /// before 2032.
        case classic
        /// From 1 January 2032: (weighted sum + K1) mod 11 is 1, 2 or 3 (0 is the classic scheme).
        case from2032
    }

    /// The full 11 digits.
    ///
    /// - Important: Never log it; use ``masked`` (or plain interpolation, which masks).
    public let digits: String

    /// The birth date the number encodes (for a D-number or a synthetic number, with the offsets taken away).
    public let birthDate: LocalDate

    /// Whether this is a D-number, given to people who are not (yet) registered as residents.
    public let isDNumber: Bool

    /// Whether this is a synthetic test number (month + 80).
    public let isSynthetic: Bool

    /// Whether this is an H-number or NAV synthetic number (month + 40).
    public let isHNumber: Bool

    /// The scheme of the first check digit.
    public let checkDigitScheme: CheckDigitScheme

    /// Weights of the first check digit over d1…d9.
    static let k1Weights = [3, 7, 6, 1, 8, 9, 4, 5, 2]
    /// Weights of the second check digit over d1…d9 and K1.
    static let k2Weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]

    /// Checks and creates a national ID from its 11 digits.
    /// - Throws: ``ContractError/invalidNationalID(_:)`` saying why; the reason shows the number masked.
    public init(_ text: String) throws(ContractError) {
        // The digits on the stack, read from the text's bytes in place, the weighted sums written out: every
        // event's IDs pass through here. Two arrays per ID were 1 % of `ot-statistics`' decoding; the digits taken
        // one by one from `text.utf8` and the weights from arrays, about 700 instructions an ID (callgrind).
        var d = InlineArray<11, Int>(repeating: 0)
        var utf8 = text
        let (count, allDigits) = utf8.withUTF8 { bytes -> (Int, Bool) in
            guard bytes.count == 11 else { return (bytes.count, false) }
            var allDigits = true
            for index in 0..<11 {
                let digit = bytes[index] &- UInt8(ascii: "0")
                if digit > 9 { allDigits = false }
                d[index] = Int(digit)
            }
            return (11, allDigits)
        }
        guard count == 11 else {
            throw .invalidNationalID("must be 11 digits, found \(text.count) characters")
        }
        guard allDigits else {
            throw .invalidNationalID("must be 11 digits, found a non-digit")
        }
        // Made only for an error: every event's IDs pass through here.
        var masked: String { Self.mask(text) }

        // The weights of ``k1Weights`` and ``k2Weights``.
        let k2Sum = 5 * d[0] + 4 * d[1] + 3 * d[2] + 2 * d[3] + 7 * d[4] + 6 * d[5] + 5 * d[6] + 4 * d[7] + 3 * d[8]
        let k1Sum = 3 * d[0] + 7 * d[1] + 6 * d[2] + 1 * d[3] + 8 * d[4] + 9 * d[5] + 4 * d[6] + 5 * d[7] + 2 * d[8]
        let scheme: CheckDigitScheme
        switch (k1Sum + d[9]) % 11 {
        case 0: scheme = .classic
        case 1, 2, 3: scheme = .from2032
        default: throw .invalidNationalID("\(masked): first check digit (K1) does not match")
        }
        guard Self.k2(sum: k2Sum + 2 * d[9]) == d[10] else {
            throw .invalidNationalID("\(masked): second check digit (K2) does not match")
        }

        var day = d[0] * 10 + d[1]
        var month = d[2] * 10 + d[3]
        let isDNumber = day > 40
        if isDNumber { day -= 40 }
        let isSynthetic = month > 80
        let isHNumber = month > 40 && month <= 80
        if isSynthetic { month -= 80 } else if isHNumber { month -= 40 }
        let individual = d[6] * 100 + d[7] * 10 + d[8]
        guard let year = Self.birthYear(yearOfCentury: d[4] * 10 + d[5], individual: individual) else {
            throw .invalidNationalID("\(masked): individual number does not fit the year of birth")
        }
        guard CivilCalendar.isValid(year: year, month: month, day: day) else {
            throw .invalidNationalID("\(masked): the first six digits are not a valid birth date")
        }

        self.digits = text
        self.birthDate = LocalDate(unchecked: year, month, day)
        self.isDNumber = isDNumber
        self.isSynthetic = isSynthetic
        self.isHNumber = isHNumber
        self.checkDigitScheme = scheme
    }

    /// The first six digits followed by `*****`: `010203*****`. Safe for logs.
    public var masked: String { Self.mask(digits) }

    /// The masked number (see ``masked``), so that interpolation never leaks the full number.
    public var description: String { masked }

    /// The masked number, for debug output too.
    public var debugDescription: String { "NationalID(\(masked))" }

    /// A mirror that shows only the masked number, so that `dump` and reflection never leak it.
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked], displayStyle: .struct) }

    /// Masks any text that may be a national ID: at most its first six characters, then `*****`.
    public static func mask(_ text: String) -> String {
        String(text.prefix(6)) + "*****"
    }

    /// The second check digit of d1…d9 K1, or `nil` where the rule gives 10 (no valid K2).
    static func k2(_ digits: ArraySlice<Int>) -> Int? {
        k2(sum: zip(digits, Self.k2Weights).reduce(0) { $0 + $1.0 * $1.1 })
    }

    /// The second check digit of a weighted sum of d1…d9 K1 (``k2Weights``), or `nil` where the rule gives 10.
    static func k2(sum: Int) -> Int? {
        let remainder = sum % 11
        let k2 = remainder == 0 ? 0 : 11 - remainder
        return k2 == 10 ? nil : k2
    }

    /// The full year of birth from the two-digit year and the individual number (Skatteetaten's ranges):
    /// 000–499 → 1900–1999; 500–749 with year 54–99 → 1854–1899; 500–999 with year 00–39 → 2000–2039;
    /// 900–999 with year 40–99 → 1940–1999.
    static func birthYear(yearOfCentury year: Int, individual: Int) -> Int? {
        switch individual {
        case 0...499: 1900 + year
        case 500...749 where year >= 54: 1800 + year
        case 500...999 where year <= 39: 2000 + year
        case 900...999 where year >= 40: 1900 + year
        default: nil
        }
    }

    /// The 11-digit string the value is written as.
    public var jsonString: String { digits }

    /// Reads an 11-digit string.
    public init(jsonString: String) throws(ContractError) { try self.init(jsonString) }
}
