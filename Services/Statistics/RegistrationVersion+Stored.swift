import OTContract
import OTStore

/// A version as one line of `stat_persons.versions` (``PersonState``).
extension RegistrationVersion {
    /// `registrationId,schoolYear,effectiveDate,unitId,county,statusCode,statusGroup,reason,birthDate,gender,open,aspects`:
    /// codes and dates as the contract writes them, an absent status code or gender empty, `open` 1 or 0. The two
    /// ids, which the contract does not restrict, have `%`, `,`, `=` and line breaks written as `%XX`.
    var storedLine: String {
        var line = StoredText(capacity: 128)  // a version's line is about 80 bytes
        line.appendEscaped(registrationId)
        line.appendField(schoolYear.description)
        line.appendField(effectiveDate.description)
        line.appendASCII(",")
        line.appendEscaped(unitId)
        line.appendField(county.rawValue)
        line.appendField(statusCode?.rawValue ?? "")
        line.appendField(statusGroup.description)
        line.appendField(reason.rawValue)
        line.appendField(birthDate.description)
        line.appendField(gender?.rawValue ?? "")
        line.appendField(isOpen ? "1" : "0")
        line.appendField(String(aspects.rawValue))
        return line.text
    }

    /// Reads ``storedLine``; `sequence` is the version's place in the youth's arrival order. The line is split at
    /// its bytes, not its characters: a comma followed by a combining mark is one `Character`.
    init(storedLine line: Substring.UTF8View, sequence: Int64) throws(ContractError) {
        let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard fields.count == 12, let group = Int(fields[6]), let aspects = Int(fields[11]) else {
            // Not the line itself: it holds a birth date, which has no place in a log.
            throw .malformedJSON(
                "a stored registration version has \(fields.count) fields, not 12, or a field that is no number")
        }
        self.init(
            sequence: sequence, registrationId: Self.unescaped(fields[0]), schoolYear: try SchoolYear(fields[1]),
            effectiveDate: try LocalDate(fields[2]), unitId: Self.unescaped(fields[3]),
            county: try County(code: fields[4]),
            statusCode: fields[5].isEmpty ? nil : try OTStatusCode(code: fields[5]),
            statusGroup: try OTStatusGroup(number: group), reason: try RegistrationReason(code: fields[7]),
            birthDate: try LocalDate(fields[8]), gender: fields[9].isEmpty ? nil : try Gender(code: fields[9]),
            isOpen: fields[10] == "1", aspects: Aspects(rawValue: aspects))
    }

    private static func unescaped(_ field: String) -> String {
        guard field.utf8.contains(UInt8(ascii: "%")) else { return field }
        var bytes: [UInt8] = []
        var utf8 = field.utf8[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
