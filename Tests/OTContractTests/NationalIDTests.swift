import Foundation
import OTContract
import Testing

/// Test vectors were computed independently of the code under test. Regular (not synthetic) numbers are used only
/// with birth dates in the future, which no real person has.
@Suite("National ID (fødselsnummer and D-number)", .timeLimit(.minutes(2)))
struct NationalIDTests {
    @Test(
        "valid numbers of the classic scheme, with their birth dates",
        arguments: [
            ("01820850056", "2008-02-01", false, true),  // synthetic
            ("31929900068", "1999-12-31", false, true),  // synthetic, individual 000–499
            ("07875090075", "1950-07-07", false, true),  // synthetic, individual 900–999 with year 40–99
            ("01816050088", "1860-01-01", false, true),  // synthetic, individual 500–749 with year 54–99
            ("29820850090", "2008-02-29", false, true),  // synthetic, leap day
            ("57851050096", "2010-05-17", true, true),  // synthetic D-number
            ("01063750014", "2037-06-01", false, false),  // regular, future birth date
        ]
    )
    func validClassic(digits: String, birthDate: String, isDNumber: Bool, isSynthetic: Bool) throws {
        let id = try NationalID(digits)
        #expect(id.digits == digits)
        #expect(id.birthDate == Samples.localDate(birthDate))
        #expect(id.isDNumber == isDNumber)
        #expect(id.isSynthetic == isSynthetic)
        #expect(id.checkDigitScheme == .classic)
    }

    @Test(
        "valid numbers of the 2032 scheme, where (weighted sum + K1) mod 11 is 1, 2 or 3",
        arguments: ["15830950092", "15830950173", "28023850089", "28023850097"]
    )
    func valid2032(digits: String) throws {
        let id = try NationalID(digits)
        #expect(id.checkDigitScheme == .from2032)
    }

    @Test("an H-number or NAV synthetic number (month + 40) is accepted")
    func hNumber() throws {
        let id = try NationalID("04441150062")
        #expect(id.isHNumber)
        #expect(!id.isSynthetic)
        #expect(id.birthDate == Samples.localDate("2011-04-04"))
    }

    @Test(
        "wrong check digits are rejected, naming the check digit and masking the number",
        arguments: [
            ("01820850057", "018208*****: second check digit (K2) does not match"),
            ("01820850090", "018208*****: first check digit (K1) does not match"),
            ("15830950042", "158309*****: first check digit (K1) does not match"),
            // K1 = 6 passes as a 2032-scheme digit, and then the K2 of a 6 does not match.
            ("01820850066", "018208*****: second check digit (K2) does not match"),
        ]
    )
    func wrongCheckDigits(digits: String, reason: String) {
        #expect(throws: ContractError.invalidNationalID(reason)) {
            try NationalID(digits)
        }
    }

    @Test(
        "wrong length, non-digits and impossible dates are rejected",
        arguments: [
            ("0182085005", "must be 11 digits, found 10 characters"),
            ("018208500566", "must be 11 digits, found 12 characters"),
            ("", "must be 11 digits, found 0 characters"),
            ("0182085005a", "must be 11 digits, found a non-digit"),
            ("01820850 56", "must be 11 digits, found a non-digit"),
            ("29820950001", "298209*****: the first six digits are not a valid birth date"),  // 2009-02-29
            ("01818580017", "018185*****: individual number does not fit the year of birth"),  // 800 with year 85
        ]
    )
    func invalidForm(text: String, reason: String) {
        #expect(throws: ContractError.invalidNationalID(reason)) {
            try NationalID(text)
        }
    }

    @Test("the number is masked everywhere it could be printed")
    func masking() throws {
        let id = try NationalID("01820850056")
        #expect(id.masked == "018208*****")
        #expect(id.description == "018208*****")
        #expect("person \(id)" == "person 018208*****")
        #expect(String(reflecting: id) == "NationalID(018208*****)")

        let payload = ErasePerson(personId: id)
        var dumped = ""
        dump(payload, to: &dumped)
        let texts = [
            String(describing: payload), String(reflecting: payload), dumped, "\([id])",
            String(describing: Optional(id)),
        ]
        for text in texts {
            #expect(!text.contains("01820850056"), "\(text)")
            #expect(text.contains("018208*****"), "\(text)")
        }
        #expect(NationalID.mask("0102") == "0102*****")
    }

    @Test(
        "quoted text has every national ID masked, also one written with its birth date apart",
        arguments: [
            // Eleven digits in a row are masked whether or not they are valid: a typo is still someone's number.
            ("id 01820850056.", "id 018208*****."),
            ("id 01820850057", "id 018208*****"),
            ("01820850056", "018208*****"),
            // Written apart (space, no-break space, hyphen) and valid (the vector above): masked, separator kept.
            ("id 018208 50056, unit 5001", "id 018208 *****, unit 5001"),
            ("018208\u{00A0}50056", "018208\u{00A0}*****"),
            ("(018208-50056)", "(018208-*****)"),
            ("a 01820850056 b 018208 50056", "a 018208***** b 018208 *****"),
            // Written apart but the check digits fail: two numbers side by side, left readable.
            ("018208 50057", "018208 50057"),
            ("counts 123456 12345", "counts 123456 12345"),
            // Longer or shorter runs are not IDs: offsets and sequence numbers stay readable.
            ("offset 101820850056", "offset 101820850056"),
            ("1018208 50056", "1018208 50056"),
            ("018208 500561", "018208 500561"),
            ("018208  50056", "018208  50056"),
            ("018208 5005", "018208 5005"),
            ("no digits at all: æøå", "no digits at all: æøå"),
        ])
    func maskingAllInText(text: String, expected: String) {
        #expect(NationalID.maskingAll(in: text) == expected)
    }

    @Test("it is written as the plain 11-digit string and checked when read")
    func codable() throws {
        let id = try NationalID("57851050096")
        let json = try JSONEncoder().encode([id])
        #expect(String(decoding: json, as: UTF8.self) == #"["57851050096"]"#)
        #expect(try JSONDecoder().decode([NationalID].self, from: json) == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([NationalID].self, from: Data(#"["57851050097"]"#.utf8))
        }
    }

    @Test(
        "the generator makes valid synthetic numbers for dates across the centuries",
        arguments: [
            "1854-01-01", "1899-12-31", "1900-01-01", "1939-06-30", "1940-01-01", "1999-12-31", "2000-01-01",
            "2008-02-29", "2039-12-31",
        ]
    )
    func generator(birthDate: String) throws {
        let date = Samples.localDate(birthDate)
        var seen: Set<NationalID> = []
        for index in [0, 1, 2, 50, 99] {
            for dNumber in [false, true] {
                for scheme in [NationalID.CheckDigitScheme.classic, .from2032] {
                    let id = try NationalID.synthetic(birthDate: date, index: index, dNumber: dNumber, scheme: scheme)
                    #expect(id.birthDate == date)
                    #expect(id.isSynthetic)
                    #expect(id.isDNumber == dNumber)
                    #expect(id.checkDigitScheme == scheme)
                    #expect(try NationalID(id.digits) == id)
                    #expect(seen.insert(id).inserted, "numbers differ by index, kind and scheme")
                }
            }
        }
        #expect(try NationalID.synthetic(birthDate: date, index: 7) == NationalID.synthetic(birthDate: date, index: 7))
    }

    @Test("the generator matches independently computed numbers and refuses what it cannot make")
    func generatorBounds() throws {
        #expect(try NationalID.synthetic(birthDate: Samples.localDate("2008-02-01"), index: 0).digits == "01820850056")
        #expect(try NationalID.synthetic(birthDate: Samples.localDate("2008-02-01"), index: 1).digits == "01820850137")
        #expect(throws: ContractError.self) {
            try NationalID.synthetic(birthDate: Samples.localDate("2040-01-01"), index: 0)
        }
        #expect(throws: ContractError.self) {
            try NationalID.synthetic(birthDate: Samples.localDate("2008-02-01"), index: 5000)
        }
        #expect(throws: ContractError.self) {
            try NationalID.synthetic(birthDate: Samples.localDate("2008-02-01"), index: -1)
        }
    }
}
