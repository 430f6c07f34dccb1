import OTContract

/// A version as one line of `stat_persons.versions` (``PersonState``).
extension RegistrationVersion {
    /// `registrationId,schoolYear,effectiveDate,unitId,county,statusCode,statusGroup,reason,birthDate,gender,open,aspects`:
    /// codes and dates as the contract writes them, an absent status code or gender empty, `open` 1 or 0. The two
    /// ids, which the contract does not restrict, have `%`, `,`, `=` and line breaks written as `%XX`.
    var storedLine: String {
        // Appended in place into room for the whole line (a version's line is about 80 bytes).
        var line = ""
        line.reserveCapacity(128)
        func field(_ text: String) {
            line += ","
            line += text
        }
        line += Self.escaped(registrationId)
        field(schoolYear.description)
        field(effectiveDate.description)
        field(Self.escaped(unitId))
        field(county.rawValue)
        field(statusCode?.rawValue ?? "")
        field(statusGroup.description)
        field(reason.rawValue)
        field(birthDate.description)
        field(gender?.rawValue ?? "")
        field(isOpen ? "1" : "0")
        field(String(aspects.rawValue))
        return line
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

    /// The bytes that separate fields, lines and contributions, and `%` itself, as `%XX`.
    private static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: isReserved) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, isReserved(UInt8(scalar.value)) {
                escaped += "%" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
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

    private static func isReserved(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "%") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "=") || byte == 0x0A
            || byte == 0x0D
    }
}
