import OTContract
import Testing

@testable import Statistics

/// The person stage's row text (`stat_persons`): what is written is read back as it was.
@Suite("Statistics: a youth's row in the person stage", .timeLimit(.minutes(2)))
struct PersonStateTests {
    static func version(_ registrationId: String, unitId: String, sequence: Int64) -> RegistrationVersion {
        RegistrationVersion(
            sequence: sequence, registrationId: registrationId, schoolYear: SchoolYear(startYear: 2026),
            effectiveDate: date("2026-09-01"), unitId: unitId, county: .trondelag, statusCode: nil,
            statusGroup: .ukjentAktivitet, reason: .ikkeSokt, birthDate: date("2009-12-31"), gender: nil,
            isOpen: false, aspects: .openness)
    }

    @Test(
        "versions with separators, escapes and a combining mark after a comma in their ids, an absent code and gender, read back in their order"
    )
    func versionsRoundTrip() throws {
        let written = [
            Self.version("r,1=\n%2C%", unitId: "50%01", sequence: 0),
            Self.version("æøå\r", unitId: "\u{301}5001", sequence: 1),
        ]
        var state = PersonState()
        for version in written { state.append(version) }
        #expect(state.versionsText.utf8.split(separator: 0x0A).count == 2)
        let stored = PersonState(versions: state.versionsText, contributions: state.contributionsText)
        #expect(try stored.versions() == written)
    }

    @Test("a version's line and a contribution are written in the stored format, byte for byte")
    func storedFormat() {
        // Stores written before keep these texts: the format may not change. `%`, `,`, `=`, `\n` and `\r` in an
        // id as `%XX` (upper-case hex); other characters, non-ASCII too, as they are.
        let version = Self.version("r,1=\n%2C%\rø", unitId: "50%01", sequence: 0)
        #expect(
            version.storedLine
                == "r%2C1%3D%0A%252C%25%0Dø,2026-2027,2026-09-01,50%2501,50,,1,IKKE_SOKT,2009-12-31,,0,4")
        // A line longer than the room it starts with (128 bytes) grows.
        let long = Self.version(String(repeating: "a,", count: 150), unitId: "5001", sequence: 0)
        #expect(long.storedLine.hasPrefix(String(repeating: "a%2C", count: 150) + ",2026-2027,"))
        var contribution = Contribution(
            open: [
                Contribution.Open(
                    unitId: "5001", county: .trondelag, statusCode: .otuk, reason: .ikkeSokt, ageBand: .age17,
                    gender: .kvinne),
                Contribution.Open(
                    unitId: "5002", county: .trondelag, statusCode: .otuk, reason: .ikkeSokt, ageBand: .age21to24,
                    gender: nil),
            ],
            flow: Contribution.Flow(
                unitId: "5002", county: .trondelag, reachedActivity: true, registeredPreviousYear: false))
        #expect(contribution.stored == "O,5001,50,OTUK,IKKE_SOKT,17,K;O,5002,50,OTUK,IKKE_SOKT,21-24,;F,5002,50,1,0")
        contribution.open = []
        #expect(contribution.stored == "F,5002,50,1,0")
        #expect(Contribution().stored == "")
    }

    @Test("contributions by period: an empty one is no entry; the text is the same whatever order they were set in")
    func contributions() {
        var first = PersonState()
        first.setContribution("F,5001,50,0,0", in: .current)
        first.setContribution("O,5001,50,OTUK,IKKE_SOKT,17,", in: .reportingDate(date("2027-02-01")))
        var second = PersonState()
        second.setContribution("O,5001,50,OTUK,IKKE_SOKT,17,", in: .reportingDate(date("2027-02-01")))
        second.setContribution("x", in: .reportingDate(date("2027-06-15")))
        second.setContribution("F,5001,50,0,0", in: .current)
        second.setContribution("", in: .reportingDate(date("2027-06-15")))
        #expect(first.contributionsText == second.contributionsText)
        #expect(first.contributionsText == "2027-02-01=O,5001,50,OTUK,IKKE_SOKT,17,\ncurrent=F,5001,50,0,0")
        let read = PersonState(versions: "", contributions: first.contributionsText)
        #expect(read.contribution(in: .current) == "F,5001,50,0,0")
        #expect(read.contribution(in: .reportingDate(date("2027-06-15"))) == "")
        // A text read in another order, a period twice: written back in the periods' order, the last of the two.
        let unordered = PersonState(versions: "", contributions: "current=a\n2027-02-01=b\ncurrent=c")
        #expect(unordered.contributionsText == "2027-02-01=b\ncurrent=c")
        #expect(unordered.contribution(in: .current) == "c")
    }
    @Test("a stored version that is not one is refused, without its text (a birth date) in the error")
    func malformedVersion() {
        let state = PersonState(
            versions: "r-1,2026-2027,2026-09-01,5001,50,OTUK,1,IKKE_SOKT,2009-12-31", contributions: "")
        #expect {
            try state.versions()
        } throws: { error in
            "\(error)".contains("9 fields") && !"\(error)".contains("2009-12-31")
        }
    }
}
