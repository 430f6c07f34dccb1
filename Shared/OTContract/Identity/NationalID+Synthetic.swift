extension NationalID {
    /// Makes a valid synthetic test number (month + 80) for a birth date: for tests, simulators and demos, which
    /// must never use real numbers.
    ///
    /// The same arguments always give the same number; different indexes give different numbers for one date.
    /// Each date has a few hundred numbers (the individual digits valid for its century with valid check digits).
    ///
    /// - Parameters:
    ///   - birthDate: The birth date, 1854-01-01 to 2039-12-31.
    ///   - index: Which of the date's numbers, from 0.
    ///   - dNumber: Whether to make a D-number (day + 40).
    ///   - scheme: The first check digit's scheme; ``CheckDigitScheme/from2032`` makes numbers of the new kind.
    /// - Throws: ``ContractError/invalidNationalID(_:)`` when the date is out of range or the index is too large.
    public static func synthetic(
        birthDate: LocalDate,
        index: Int,
        dNumber: Bool = false,
        scheme: CheckDigitScheme = .classic
    ) throws(ContractError) -> NationalID {
        let yearOfCentury = birthDate.year % 100
        let individuals: [ClosedRange<Int>]
        switch birthDate.year {
        case 1854...1899: individuals = [500...749]
        case 1900...1999: individuals = yearOfCentury >= 40 ? [0...499, 900...999] : [0...499]
        case 2000...2039: individuals = [500...999]
        default: throw .invalidNationalID("no national IDs for birth year \(birthDate.year) (1854–2039)")
        }
        guard index >= 0 else { throw .invalidNationalID("the index must not be negative") }

        let day = birthDate.day + (dNumber ? 40 : 0)
        let month = birthDate.month + 80
        let prefix = [day / 10, day % 10, month / 10, month % 10, yearOfCentury / 10, yearOfCentury % 10]
        var remaining = index
        for range in individuals {
            for individual in range {
                let first9 = prefix + [individual / 100, individual / 10 % 10, individual % 10]
                let sum = zip(first9, k1Weights).reduce(0) { $0 + $1.0 * $1.1 }
                let candidates: [Int]
                switch scheme {
                case .classic:
                    let k1 = (11 - sum % 11) % 11
                    candidates = k1 == 10 ? [] : [k1]
                case .from2032:
                    candidates = (1...3).map { (11 - sum % 11 + $0) % 11 }.filter { $0 <= 9 }
                }
                for k1 in candidates {
                    guard let k2 = k2((first9 + [k1])[...]) else { continue }
                    if remaining == 0 {
                        let text = (first9 + [k1, k2]).map(String.init).joined()
                        return try NationalID(text)
                    }
                    remaining -= 1
                }
            }
        }
        throw .invalidNationalID("index \(index) exceeds the synthetic numbers of \(birthDate)")
    }
}
