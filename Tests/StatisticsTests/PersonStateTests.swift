import OTContract
import Testing

@testable import Statistics

/// The person stage's row text (`stat_persons`): what is written is read back as it was.
@Suite("Statistics: a youth's row in the person stage")
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
