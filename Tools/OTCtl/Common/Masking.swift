/// Masks national IDs in text meant for a terminal: every run of exactly eleven digits (what a national ID looks
/// like) becomes its first six digits and `*****`, as ``OTContract/NationalID/masked`` does.
///
/// Everything otctl prints about events goes through this, so that a national ID inside any field, key, header or
/// error text is never shown in full.
enum Masking {
    /// `text` with every run of exactly eleven ASCII digits masked.
    static func maskNationalIDs(in text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var digits = ""
        func flush() {
            result += digits.count == 11 ? String(digits.prefix(6)) + "*****" : digits
            digits = ""
        }
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }
}
