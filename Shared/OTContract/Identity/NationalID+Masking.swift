extension NationalID {
    /// `text` with every national ID it quotes masked to its first six digits and `*****`, as ``masked`` shows one
    /// ID: for logs, dead-letter reasons and terminal output that may quote input.
    ///
    /// Two shapes are recognised, each between characters that are not ASCII digits:
    /// - any run of exactly eleven ASCII digits, valid or not (what a national ID looks like, typos included);
    /// - the birth date and the personal number written apart, six digits, one space, no-break space or hyphen, five
    ///   digits (`010203 12345`, as people often write it), masked as `010203 *****` when the eleven digits are a
    ///   valid national ID. The check digits keep two numbers that merely stand side by side (a table's columns, a
    ///   count and an offset) readable: about one such pair in a hundred passes them.
    ///
    /// A longer run of digits is left alone, so that offsets and sequence numbers stay readable.
    public static func maskingAll(in text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        result.reserveCapacity(scalars.count)
        func isDigit(_ index: Int) -> Bool { index < scalars.count && ("0"..."9").contains(scalars[index]) }
        func digitsEnd(from start: Int) -> Int {
            var end = start
            while isDigit(end) { end += 1 }
            return end
        }
        var index = 0
        while index < scalars.count {
            guard isDigit(index) else {
                result.append(scalars[index])
                index += 1
                continue
            }
            let end = digitsEnd(from: index)
            if end - index == 11 {
                result.append(contentsOf: scalars[index..<index + 6])
                result.append(contentsOf: "*****".unicodeScalars)
                index = end
                continue
            }
            if end - index == 6, end < scalars.count, Self.separators.contains(scalars[end]),
                digitsEnd(from: end + 1) == end + 6
            {
                var digits = String.UnicodeScalarView(scalars[index..<end])
                digits.append(contentsOf: scalars[end + 1..<end + 6])
                if (try? NationalID(String(digits))) != nil {
                    result.append(contentsOf: scalars[index...end])
                    result.append(contentsOf: "*****".unicodeScalars)
                    index = end + 6
                    continue
                }
            }
            result.append(contentsOf: scalars[index..<end])
            index = end
        }
        return String(result)
    }

    /// What may stand between a national ID's birth date and its personal number when written apart.
    private static let separators: Set<Unicode.Scalar> = [" ", "\u{00A0}", "-"]
}
