extension NationalID {
    /// `text` with every run of exactly eleven ASCII digits (what a national ID looks like) replaced by its first
    /// six digits and `*****`, as ``masked`` shows one ID: for logs, dead-letter reasons and terminal output that
    /// may quote input.
    public static func maskingAll(in text: String) -> String {
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
