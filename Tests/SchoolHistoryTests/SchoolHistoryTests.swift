import Foundation
import KafkaTesting
import OTContract
import OTRuntimeTesting
import Synchronization
import TestTraits
import Testing

@testable import SchoolHistory

func day(_ text: String) -> LocalDate { try! LocalDate(text) }

private let nextPerson = Atomic<Int>(0)

/// A new synthetic youth (born in spring 2008) for every call.
func newYouth() -> NationalID {
    let number = nextPerson.add(1, ordering: .relaxed).newValue
    return try! NationalID.synthetic(birthDate: day("2008-04-04").adding(days: number / 40), index: number % 40)
}

func withSchoolHistory(_ body: (ServiceHarness) async throws -> Void) async throws {
    try await withServiceHarness(
        .schoolHistory, inputs: [.enrollment, .registrations, .schoolHistoryRequests],
        outputs: [.schoolHistoryReplies, .audit], today: "2026-03-02", handler: { SchoolHistoryHandler() }, body)
}

extension ServiceHarness {
    /// Sends a lookup and waits for its reply and its audit entry.
    func lookUp(
        _ person: NationalID, as requester: Requester, purpose: String = "Follow-up meeting"
    ) async throws -> (SchoolHistoryReply, [AccessLogEntry]) {
        let requestId = UUID().uuidString
        try await publish(
            SchoolHistoryRequest(requestId: requestId, personId: person, requester: requester, purpose: purpose))
        return try await answer(to: requestId, auditKey: person.digits)
    }

    /// Waits for the reply to `requestId` and the audit entries of that request under `auditKey`.
    func answer(to requestId: String, auditKey: String) async throws -> (SchoolHistoryReply, [AccessLogEntry]) {
        let replies = try await waitForEvents(on: .schoolHistoryReplies, key: requestId, "the reply") { !$0.isEmpty }
        let audit = try await waitForEvents(on: .audit, key: auditKey, "the audit entry") { events in
            events.contains { (try? $0.decodePayload(as: AccessLogEntry.self))?.requestId == requestId }
        }
        return (
            try replies[0].decodePayload(as: SchoolHistoryReply.self),
            try audit.map { try $0.decodePayload(as: AccessLogEntry.self) }.filter { $0.requestId == requestId }
        )
    }

    /// Publishes an upstream event (`vigo.enrollment.v1`) dated `time` and waits until it is processed.
    func upstream<P: PersonKeyedPayload>(_ payload: P, time: String = "2026-03-01") async throws {
        try await waitUntilProcessed(try await publish(payload, time: noon(time), source: "urn:vigo:test"))
    }

    /// Registers the youth in OT as ot-registrations would.
    func register(_ person: NationalID, unit: String, county: County, on date: String = "2026-02-01") async throws
        -> String
    {
        let id = UUID().uuidString
        try await waitUntilProcessed(
            try await publish(
                YouthRegistered(
                    registrationId: id, personId: person, unitId: unit, countyNumber: county,
                    schoolYear: day(date).schoolYear, registeredAt: day(date), reason: .sluttet, statusCode: .otuk,
                    statusGroup: .ukjentAktivitet, birthDate: person.birthDate, gender: .mann),
                source: ServiceName.registrations.eventSource))
        return id
    }
}

let trondheimAdviser = Requester(userId: "adviser-50", countyNumber: .trondelag)
let osloAdviser = Requester(userId: "adviser-03", countyNumber: .oslo)

@Suite("School-history lookups", .serialized, .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct SchoolHistoryTests {
    @Test(
        "granted to the county the youth is registered in, with the history in date order whatever the order of arrival"
    )
    func grantedInOrderOfDates() async throws {
        try await withSchoolHistory { service in
            let person = newYouth()
            let year2024 = SchoolYear(startYear: 2024)
            let year2025 = SchoolYear(startYear: 2025)
            // Arrival order: completion, dropout, second enrollment, first enrollment, offer, application.
            try await service.upstream(
                EducationCompleted(personId: person, date: day("2026-01-20"), qualification: .kompetansebevis))
            try await service.upstream(
                EnrollmentDroppedOut(
                    personId: person, schoolYear: year2025, date: day("2025-11-03"), reasonCode: .highAbsence))
            try await service.upstream(
                EnrollmentStarted(
                    personId: person, schoolYear: year2025, schoolOrgNumber: "974544202",
                    programmeAreaCode: "ELELE2----",
                    startDate: day("2025-08-18"), kind: .pupil))
            try await service.upstream(
                EnrollmentStarted(
                    personId: person, schoolYear: year2024, schoolOrgNumber: "974544202",
                    programmeAreaCode: "ELELE1----",
                    startDate: day("2024-08-19"), kind: .pupil))
            try await service.upstream(
                OfferAnswered(
                    personId: person, schoolYear: year2024, programmeAreaCode: "ELELE1----",
                    schoolOrgNumber: "974544202",
                    answer: .accepted))
            try await service.upstream(
                ApplicationSubmitted(
                    personId: person, schoolYear: year2024, submittedAt: Timestamp(noon("2024-02-28")),
                    choices: [ApplicationChoice(programmeAreaCode: "ELELE1----", schoolOrgNumber: "974544202")]))
            let registration = try await service.register(person, unit: "5001", county: .trondelag)

            let (reply, audit) = try await service.lookUp(person, as: trondheimAdviser)
            #expect(reply.status == .ok)
            let history = try #require(reply.history)
            #expect(history.enrollments.map(\.startDate) == [day("2024-08-19"), day("2025-08-18")])
            #expect(history.applications.count == 1 && history.offers.map(\.answer) == [.accepted])
            #expect(history.dropouts.map(\.reasonCode) == [.highAbsence])
            #expect(history.completions.map(\.qualification) == [.kompetansebevis])
            #expect(reply.registration?.registrationId == registration && reply.registration?.unitId == "5001")
            #expect(reply.meanings?["programmeArea:ELELE1----"] == "Vg1 Elektro og datateknologi")
            #expect(reply.meanings?["programmeArea:ELELE2----"] == "Vg2 Elektro og datateknologi")
            #expect(reply.meanings?["dropoutReason:FR"] == DropoutReason.highAbsence.meaning)
            #expect(reply.meanings?["qualification:KOMPETANSEBEVIS"] == Qualification.kompetansebevis.meaning)
            // Exactly one audit entry: who, whose, why, the outcome and what was disclosed.
            #expect(audit.count == 1)
            let entry = try #require(audit.first)
            #expect(
                entry.requester == trondheimAdviser && entry.personId == person && entry.purpose == "Follow-up meeting")
            #expect(entry.outcome == .ok)
            #expect(
                entry.fieldsReturned == [
                    "applications", "offers", "enrollments", "dropouts", "completions", "registration",
                ])
        }
    }

    @Test(
        "granted where the youth lives and to their unit; denied to another county and another unit; nothing of the youth in a denial"
    )
    func scopes() async throws {
        try await withSchoolHistory { service in
            let (resident, registered) = (newYouth(), newYouth())
            // Lives in Trøndelag (the later of two person.updated by time, whatever order they arrive in).
            try await service.upstream(
                PersonUpdated(
                    personId: resident, birthDate: resident.birthDate, gender: .kvinne, countyNumber: .trondelag,
                    municipalityNumber: "5001"), time: "2026-02-10")
            try await service.upstream(
                PersonUpdated(
                    personId: resident, birthDate: resident.birthDate, gender: .kvinne, countyNumber: .oslo,
                    municipalityNumber: "0301"), time: "2026-01-10")
            _ = try await service.register(registered, unit: "5006", county: .trondelag)

            #expect(try await service.lookUp(resident, as: trondheimAdviser).0.status == .ok)
            let denied = try await service.lookUp(resident, as: osloAdviser)
            #expect(denied.0.status == .denied && denied.0.history == nil && denied.0.registration == nil)
            #expect(denied.0.reason == "the youth is neither registered in OT nor living in county 03")
            #expect(denied.1.map(\.outcome) == [.denied] && denied.1.first?.fieldsReturned == [])

            let unit5006 = Requester(userId: "adviser-5006", countyNumber: .trondelag, unitId: "5006")
            let unit5001 = Requester(userId: "adviser-5001", countyNumber: .trondelag, unitId: "5001")
            #expect(try await service.lookUp(registered, as: unit5006).0.status == .ok)
            let otherUnit = try await service.lookUp(registered, as: unit5001)
            #expect(
                otherUnit.0.status == .denied && otherUnit.0.reason == "the youth is not registered in OT in unit 5001")
            // A unit-scoped adviser does not see youths merely living in the county.
            #expect(try await service.lookUp(resident, as: unit5001).0.status == .denied)
            #expect(otherUnit.1.count == 1)
        }
    }

    @Test("two facts of one date are listed by their events' times, not by arrival and not by what they say")
    func sameDateByTime() async throws {
        try await withSchoolHistory { service in
            let person = newYouth()
            try await service.upstream(
                PersonUpdated(
                    personId: person, birthDate: person.birthDate, gender: .kvinne, countyNumber: .trondelag,
                    municipalityNumber: "5001"))
            func started(_ programmeArea: String) -> EnrollmentStarted {
                EnrollmentStarted(
                    personId: person, schoolYear: SchoolYear(startYear: 2025), schoolOrgNumber: "974544202",
                    programmeAreaCode: programmeArea, startDate: day("2025-08-18"), kind: .pupil)
            }
            // Both start on 18 August 2025. The one told on 1 March arrives first and would come first by what it
            // says (B before E); the one told on 1 February is the earlier and comes first.
            try await service.upstream(started("BABAT1----"), time: "2026-03-01")
            try await service.upstream(started("ELELE1----"), time: "2026-02-01")
            let (reply, _) = try await service.lookUp(person, as: trondheimAdviser)
            #expect(reply.status == .ok)
            #expect(try #require(reply.history).enrollments.map(\.programmeAreaCode) == ["ELELE1----", "BABAT1----"])
        }
    }

    @Test("two facts or two person.updated of one time, in either order: the same history, the same county")
    func sameTimeInEitherOrder() async throws {
        try await withSchoolHistory { service in
            let (first, second) = (newYouth(), newYouth())
            let year2025 = SchoolYear(startYear: 2025)
            func updated(_ person: NationalID, _ county: County, _ municipality: String) -> PersonUpdated {
                PersonUpdated(
                    personId: person, birthDate: person.birthDate, gender: .kvinne, countyNumber: county,
                    municipalityNumber: municipality)
            }
            func started(_ person: NationalID, _ programmeArea: String) -> EnrollmentStarted {
                EnrollmentStarted(
                    personId: person, schoolYear: year2025, schoolOrgNumber: "974544202",
                    programmeAreaCode: programmeArea, startDate: day("2025-08-18"), kind: .pupil)
            }
            // Each pair has one time (noon of 1 March): time cannot order them. Where the youth lives: the greater
            // county number, Trøndelag (50) over Oslo (03). Two enrollments of one day and time: one order for both.
            try await service.upstream(updated(first, .oslo, "0301"))
            try await service.upstream(updated(first, .trondelag, "5001"))
            try await service.upstream(updated(second, .trondelag, "5001"))
            try await service.upstream(updated(second, .oslo, "0301"))
            try await service.upstream(started(first, "ELELE1----"))
            try await service.upstream(started(first, "BABAT1----"))
            try await service.upstream(started(second, "BABAT1----"))
            try await service.upstream(started(second, "ELELE1----"))

            var orders: [[String]] = []
            for person in [first, second] {
                let (reply, _) = try await service.lookUp(person, as: trondheimAdviser)
                #expect(reply.status == .ok, "\(person)")
                orders.append(try #require(reply.history).enrollments.map(\.programmeAreaCode))
                #expect(try await service.lookUp(person, as: osloAdviser).0.status == .denied, "\(person)")
            }
            #expect(orders[0].sorted() == ["BABAT1----", "ELELE1----"])
            #expect(orders[0] == orders[1])
        }
    }

    @Test("a closed registration grants nothing, also after a late status change to Feil")
    func closedRegistration() async throws {
        try await withSchoolHistory { service in
            let person = newYouth()
            let registration = try await service.register(person, unit: "5001", county: .trondelag)
            #expect(try await service.lookUp(person, as: trondheimAdviser).0.status == .ok)
            let state = (registration, person)
            try await service.waitUntilProcessed(
                try await service.publish(
                    RegistrationClosed(
                        registrationId: state.0, personId: person, unitId: "5001", countyNumber: .trondelag,
                        schoolYear: SchoolYear(startYear: 2025), cause: .statusCode, reason: .sluttet,
                        statusCode: .otarIM, statusGroup: .ikkeIMalgruppen, effectiveDate: day("2026-02-20"),
                        birthDate: person.birthDate, gender: .mann),
                    source: ServiceName.registrations.eventSource))
            try await service.waitUntilProcessed(
                try await service.publish(
                    StatusChanged(
                        registrationId: state.0, personId: person, unitId: "5001", countyNumber: .trondelag,
                        schoolYear: SchoolYear(startYear: 2025), from: .otarIM, to: .feil, reason: .sluttet,
                        statusGroup: .ikkeIMalgruppen, effectiveDate: day("2026-02-01"), birthDate: person.birthDate,
                        gender: .mann),
                    source: ServiceName.registrations.eventSource))
            // Nothing of the person is kept now: no history, no open registration, no address.
            let (reply, _) = try await service.lookUp(person, as: trondheimAdviser)
            #expect(reply.status == .notFound)
            #expect(reply.registration == nil && reply.history == nil)
        }
    }

    @Test("unknown person: NOT_FOUND; an invalid request: INVALID and dead-lettered; each audited once")
    func notFoundAndInvalid() async throws {
        try await withSchoolHistory { service in
            let stranger = newYouth()
            let (notFound, audit) = try await service.lookUp(stranger, as: trondheimAdviser)
            #expect(notFound.status == .notFound && audit.map(\.outcome) == [.notFound])

            // No purpose: answered INVALID under its request id, audited, dead-lettered.
            let person = newYouth()
            let invalid = CloudEvent(
                source: "urn:test", type: SchoolHistoryRequest.eventType, time: service.clock.now,
                data: Array(
                    #"{"requestId":"q-invalid","personId":"\#(person.digits)","requester":{"userId":"u1","countyNumber":"50"}}"#
                        .utf8))
            try await service.publish(invalid, to: .schoolHistoryRequests, key: person.digits)
            let (reply, entries) = try await service.answer(to: "q-invalid", auditKey: person.digits)
            #expect(reply.status == .invalid && reply.reason == "missing field data.purpose")
            #expect(entries.count == 1 && entries.first?.outcome == .invalid)
            #expect(entries.first?.requester == Requester(userId: "u1", countyNumber: .trondelag))
            try await service.output.wait("the dead letter") { messages in
                messages.contains { $0.topic == Topic.deadLetters(of: .schoolHistory).name }
            }
        }
    }

    @Test(
        "erasure removes the youth's history from every store file, also after a restore and a replay; a lookup after it finds nothing"
    )
    func erasure() async throws {
        try await withSchoolHistory { service in
            // The control: a youth not erased, whom the restore below brings back.
            let other = newYouth()
            try await service.upstream(
                EnrollmentStarted(
                    personId: other, schoolYear: SchoolYear(startYear: 2025), schoolOrgNumber: "974544202",
                    programmeAreaCode: "ELELE1----", startDate: day("2025-08-18"), kind: .pupil))
            _ = try await service.register(other, unit: "5001", county: .trondelag)
            let person = newYouth()
            try await service.upstream(
                EnrollmentStarted(
                    personId: person, schoolYear: SchoolYear(startYear: 2025), schoolOrgNumber: "974544202",
                    programmeAreaCode: "RMRMF1----", startDate: day("2025-08-18"), kind: .pupil))
            let registration = try await service.register(person, unit: "5001", county: .trondelag)
            #expect(try await service.lookUp(person, as: trondheimAdviser).0.status == .ok)
            // The controls: the youth's digits and the enrollment's programme code are in the store's files now.
            #expect(try !StoreFiles.containing(person.digits, under: service.directory).isEmpty)
            #expect(try !StoreFiles.containing("RMRMF1----", under: service.directory).isEmpty)

            try await service.waitUntilProcessed(
                try await service.publish(
                    YouthErased(
                        personId: person, registrationIds: [registration], erasedAt: Timestamp(service.clock.now)),
                    source: ServiceName.registrations.eventSource))
            try await StoreFiles.waitUntilNoneContain(person.digits, under: service.directory, after: service.scrubs)
            #expect(try StoreFiles.containing("RMRMF1----", under: service.directory).isEmpty)

            // An instance with an empty disk restores the partitions from the changelog, which still holds the
            // youth's earlier rows before their tombstones (the development broker never compacts): none comes back.
            try await service.stop()
            try await service.startAndWaitUntilReady(instance: 1)
            #expect(try !StoreFiles.containing(other.digits, under: service.storeDirectory(of: 1)).isEmpty)
            #expect(try StoreFiles.containing(person.digits, under: service.directory).isEmpty)
            #expect(try StoreFiles.containing("RMRMF1----", under: service.directory).isEmpty)

            // Nor does a replay of the youth's input but the erasure (the same events again): the store knows them
            // by their ids, which it keeps without personal data.
            let replayed = try await service.replay(key: person.digits, on: [.enrollment, .registrations]) {
                (try? CloudEvent(message: $0))?.type != YouthErased.eventType
            }
            #expect(replayed == 2)
            #expect(try StoreFiles.containing(person.digits, under: service.directory).isEmpty)
            #expect(try StoreFiles.containing("RMRMF1----", under: service.directory).isEmpty)
            // Looked up last: the lookup's audit entry names the youth.
            #expect(try await service.lookUp(person, as: trondheimAdviser).0.status == .notFound)
            let (reply, _) = try await service.lookUp(other, as: trondheimAdviser)
            #expect(reply.status == .ok)
            #expect(reply.history?.enrollments.map(\.programmeAreaCode) == ["ELELE1----"])
        }
    }
}
