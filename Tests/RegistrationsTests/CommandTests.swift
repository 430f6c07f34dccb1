import Foundation
import KafkaTesting
import OTContract
import OTRuntimeTesting
import TestTraits
import Testing

@testable import Registrations

/// Case workers' commands, answered on ot.replies.v1, through the real broker.
@Suite("Registrations: commands", .serialized, .tags(.broker), .needsBroker, .timeLimit(.minutes(5)))
struct CommandTests {
    private func registerManually(_ fixture: RegistrationsFixture, _ person: NationalID) async throws {
        let reply = try await fixture.command(
            RegisterYouth(
                personId: person, unitId: "5001", countyNumber: .trondelag, reason: .annet, date: day("2026-03-01")))
        #expect(reply.status == .accepted, "\(reply.reason ?? "")")
    }

    @Test("a manual registration; contacts: a reached one moves OTUK to OTOV, an unanswered SMS changes nothing")
    func registerAndContact() async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = youth(born: "2008-02-02")
            try await registerManually(fixture, person)
            let again = try await fixture.command(
                RegisterYouth(
                    personId: person, unitId: "5001", countyNumber: .trondelag, reason: .annet, date: day("2026-03-01"))
            )
            #expect(again.status == .rejected && again.reason == "the youth already has an open registration")

            #expect(
                try await fixture.command(
                    RecordContact(personId: person, date: day("2026-03-02"), channel: .sms, reached: false)
                ).status == .accepted)
            #expect(
                try await fixture.command(
                    RecordContact(personId: person, date: day("2026-03-03"), channel: .phone, reached: true)
                ).status == .accepted)
            let events = try await fixture.waitForEvents(of: person, "the status change") {
                $0.contains { $0.statusChanged != nil }
            }
            #expect(events.compactMap(\.registered).first?.reason == .annet)
            #expect(events.compactMap(\.statusChanged).map(\.to) == [.otov])
            #expect(events.compactMap(\.statusChanged).first?.effectiveDate == day("2026-03-03"))
            let contacts = events.compactMap { if case .contactRecorded(let contact) = $0 { contact } else { nil } }
            #expect(contacts.map(\.reached) == [false, true])
        }
    }

    @Test("status.set: a valid code changes the status, a group 5 code closes; invalid ones are rejected")
    func setStatus() async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = youth(born: "2008-03-03")
            try await registerManually(fixture, person)
            #expect(
                try await fixture.command(
                    SetStatus(personId: person, statusCode: .otoa, effectiveDate: day("2026-03-05"))
                )
                .status == .accepted)
            let early = try await fixture.command(
                SetStatus(personId: person, statusCode: .otar, effectiveDate: day("2026-01-05")))
            #expect(early.status == .rejected && early.reason == "2026-01-05 is before the registration (2026-03-01)")
            let same = try await fixture.command(
                SetStatus(personId: person, statusCode: .otoa, effectiveDate: day("2026-03-06")))
            #expect(same.status == .rejected)
            #expect(
                try await fixture.command(
                    RecordActivity(personId: person, activityType: .offerMade, date: day("2026-03-07"))
                ).status == .accepted)
            #expect(
                try await fixture.command(
                    SetStatus(personId: person, statusCode: .otarIM, effectiveDate: day("2026-03-08"))
                ).status == .accepted)
            let events = try await fixture.waitForEvents(of: person, "the closing") { $0.contains { $0.closed != nil } }
            #expect(events.compactMap(\.statusChanged).map(\.to) == [.otoa, .otarIM])
            #expect(events.compactMap(\.statusChanged).first?.statusGroup == .iAktivitet)
            #expect(events.compactMap(\.closed).first?.statusCode == .otarIM)
            let activity = events.compactMap { if case .activityRecorded(let activity) = $0 { activity } else { nil } }
                .first
            #expect(activity?.statusCode == .otoa && activity?.activityType == .offerMade)
            let after = try await fixture.command(
                SetStatus(personId: person, statusCode: .otov, effectiveDate: day("2026-03-09")))
            #expect(after.status == .rejected && after.reason == "the youth has no open registration")
        }
    }

    @Test("transfer within the county moves the unit; to another county closes and registers there")
    func transfer() async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = youth(born: "2008-04-04")
            try await registerManually(fixture, person)
            let wrong = try await fixture.command(
                TransferRegistration(
                    personId: person, toUnitId: "5002", toCountyNumber: .vestland, date: day("2026-03-04"))
            )
            #expect(wrong.status == .rejected && wrong.reason == "unit 5002 belongs to county 50, not 46")
            #expect(
                try await fixture.command(
                    TransferRegistration(
                        personId: person, toUnitId: "5002", toCountyNumber: .trondelag, date: day("2026-03-04"))
                ).status == .accepted)
            #expect(
                try await fixture.command(
                    TransferRegistration(
                        personId: person, toUnitId: "4602", toCountyNumber: .vestland, date: day("2026-03-05"))
                ).status == .accepted)
            let events = try await fixture.waitForEvents(of: person, "the new county's registration") {
                $0.compactMap(\.registered).count == 2
            }
            let transferred = events.compactMap { if case .transferred(let moved) = $0 { moved } else { nil } }
            #expect(transferred.map(\.toUnitId) == ["5002"])
            #expect(events.compactMap(\.closed).first?.statusCode == .otfaIM)
            #expect(events.compactMap(\.closed).first?.unitId == "5002")
            #expect(events.compactMap(\.registered).last?.unitId == "4602")
            #expect(events.compactMap(\.registered).last?.reason == .annet)
        }
    }

    @Test(
        "erase is refused while the registration is open; after the close it leaves no byte of the person in any store file, also after a restore"
    )
    func closeAndErase() async throws {
        try await RegistrationsFixture.with() { fixture in
            let person = youth(born: "2008-05-05")
            try await registerManually(fixture, person)
            let refused = try await fixture.command(ErasePerson(personId: person))
            #expect(refused.status == .rejected)
            #expect(refused.reason?.contains("open registration") == true, "\(refused.reason ?? "")")
            // The control: the person is in the store's files now, so the search below can find them.
            #expect(try !StoreFiles.containing(person.digits, under: fixture.directory).isEmpty)

            #expect(
                try await fixture.command(
                    CloseRegistration(personId: person, date: day("2026-03-04"), statusCode: .feil)
                )
                .status == .accepted)
            #expect(try await fixture.command(ErasePerson(personId: person)).status == .accepted)
            let events = try await fixture.waitForEvents(of: person, "the erasure") {
                $0.contains { if case .erased = $0 { true } else { false } }
            }
            guard case .erased(let erased) = events.last else { Issue.record("no erasure"); return }
            #expect(erased.registrationIds.count == 1)
            try await StoreFiles.waitUntilNoneContain(person.digits, under: fixture.directory, after: fixture.scrubs)

            // An instance with an empty disk restores the partition from the changelog, which still holds the person's
            // earlier rows before their tombstones (the development broker never compacts).
            try await fixture.stopWorker()
            try FileManager.default.removeItem(at: fixture.directory)
            try await fixture.startWorker()
            #expect(try StoreFiles.containing(person.digits, under: fixture.directory).isEmpty)
            #expect(try await fixture.openRegistrations(of: person) == 0)

            // A replay of the person's input (the same events again, as after a re-publication) is known by the
            // events' ids, which the store keeps without personal data: nothing of the person comes back.
            let before = try await fixture.events(of: person).count
            let replayed = try await fixture.replay(key: person.digits, on: [.enrollment, .registrationCommands])
            #expect(replayed >= 3)
            #expect(try await fixture.events(of: person).count == before)
            #expect(try await fixture.openRegistrations(of: person) == 0)
            #expect(try StoreFiles.containing(person.digits, under: fixture.directory).isEmpty)
        }
    }

    @Test(
        "an invalid command (OTVF before 2016-08-01, a non-closing close, a national ID for a code) is answered REJECTED, the ID masked, and dead-lettered"
    )
    func invalidCommands() async throws {
        try await RegistrationsFixture.with(today: "2016-03-02") { fixture in
            let person = youth(born: "2000-05-05")
            let oslo = CommandActor(userId: "adviser-03", countyNumber: .oslo)
            let reply = try await fixture.command(
                RegisterYouth(
                    personId: person, unitId: "0301", countyNumber: .oslo, reason: .annet, date: day("2016-03-01")),
                actor: oslo)
            #expect(reply.status == .accepted, "\(reply.reason ?? "")")
            // Sent as raw JSON, as a front end might: the typed payloads refuse to build them.
            let commands = [
                (
                    "no.ot.status.set",
                    #"{"personId":"\#(person.digits)","statusCode":"OTVF","effectiveDate":"2016-03-05"}"#, "OTVF"
                ),
                (
                    "no.ot.registration.close",
                    #"{"personId":"\#(person.digits)","statusCode":"OTOA","date":"2016-03-05"}"#, "group 5"
                ),
                (
                    // Typed into the wrong field: the reason quotes the value, masked (its first six digits).
                    "no.ot.status.set",
                    #"{"personId":"\#(person.digits)","statusCode":"\#(person.digits)","effectiveDate":"2016-03-05"}"#,
                    String(person.digits.prefix(6)) + "*****"
                ),
            ]
            for (type, data, expected) in commands {
                let command = CloudEvent(
                    source: "urn:test", type: type, correlationID: UUID().uuidString, extensions: oslo.extensions,
                    data: Array(data.utf8))
                try await fixture.publishRaw(
                    topic: Topic.registrationCommands, key: person.digits, value: command.structuredJSON())
                let answer = try await fixture.reply(to: command)
                #expect(answer.status == .rejected)
                #expect(answer.reason?.contains(expected) == true, "\(answer.reason ?? "")")
                #expect(answer.reason?.contains(person.digits) == false, "\(answer.reason ?? "")")
            }
            try await fixture.kafka.waitForMessages(in: "ot-registrations.dlq.v1", count: 3)
            let events = try await fixture.events(of: person)
            #expect(events.compactMap(\.statusChanged).isEmpty && events.compactMap(\.closed).isEmpty)
        }
    }
}
