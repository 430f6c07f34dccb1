import OTContract
import Testing

@testable import Registrations

/// Decisions from a person's dated facts that must not depend on the order the facts arrived in.
@Suite("Registrations: person facts", .timeLimit(.minutes(2)))
struct PersonFactsTests {
    @Test("starting school and an apprenticeship on one day: school closes the registration, in either order")
    func sameDayEnrollments() {
        let year = SchoolYear(startYear: 2025)
        let pupil = PersonFacts.Enrollment(date: day("2026-01-12"), schoolYear: year, kind: .pupil)
        let apprentice = PersonFacts.Enrollment(date: day("2026-01-12"), schoolYear: year, kind: .apprentice)
        for enrollments in [[pupil, apprentice], [apprentice, pupil]] {
            var facts = PersonFacts()
            facts.enrollments = enrollments
            let exit = facts.firstExit(onOrAfter: day("2025-10-10"))
            #expect(exit?.date == day("2026-01-12"))
            #expect(exit?.exit == .enrolled(.pupil))
        }
    }

    @Test("of two triggers of one day, the reason first in the code list decides")
    func sameDayTriggers() {
        let order: [RegistrationReason] = [.ikkeSokt, .takketNei, .sluttet, .annet]
        for (index, reason) in order.enumerated() {
            for (otherIndex, other) in order.enumerated() {
                #expect(RegistrationsHandler.decides(reason, over: other) == (index < otherIndex), "\(reason) \(other)")
            }
        }
    }
}
