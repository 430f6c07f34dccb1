import Foundation
import OTContract
import Testing

@testable import OTCtl

@Suite("otctl history: the reply as a time line", .timeLimit(.minutes(2)))
struct HistoryTimelineTests {
    static let person = try! NationalID("01820850056")

    @Test("facts in date order with their meanings, the OT registration last, the national ID masked")
    func timeline() throws {
        let year = SchoolYear(startYear: 2025)
        let history = SchoolHistory(
            applications: [
                .init(
                    schoolYear: year, submittedAt: try Timestamp(rfc3339: "2025-02-27T10:00:00Z"),
                    choices: [
                        .init(programmeAreaCode: "ELELE1----", schoolOrgNumber: OrganizationNumber("974544202"))
                    ])
            ],
            enrollments: [
                .init(
                    schoolYear: year, schoolOrgNumber: OrganizationNumber("974544202"),
                    programmeAreaCode: "ELELE1----",
                    startDate: try LocalDate("2025-08-18"), kind: .pupil)
            ],
            dropouts: [.init(schoolYear: year, date: try LocalDate("2025-11-03"), reasonCode: .highAbsence)])
        let reply = SchoolHistoryReply(
            requestId: "q", status: .ok, history: history,
            registration: CurrentRegistration(
                registrationId: "r", unitId: "5001", countyNumber: .trondelag, schoolYear: year,
                registeredAt: try LocalDate("2025-11-04"), reason: .sluttet, statusCode: .otov),
            meanings: [
                "programmeArea:ELELE1----": "Vg1 Elektro og datateknologi", "dropoutReason:FR": "high absence",
                "statusCode:OTOV": "being followed up",
            ])
        let lines = HistoryTimeline.render(reply, person: Self.person)
        #expect(
            lines == [
                "school history of 018208*****",
                "  2025-02-27  applied for 2025-2026: 1. ELELE1---- Vg1 Elektro og datateknologi at 974544202",
                "  2025-08-18  started as PUPIL in ELELE1---- Vg1 Elektro og datateknologi at 974544202",
                "  2025-11-03  dropped out: FR (high absence)",
                "in OT since 2025-11-04: unit 5001, county 50, reason SLUTTET, status OTOV (being followed up)",
            ])
        #expect(!lines.joined().contains(Self.person.digits))
    }

    @Test("a refusal says why, and nothing else")
    func denied() {
        let reply = SchoolHistoryReply(
            requestId: "q", status: .denied, reason: "the youth is not registered in OT in unit 5001")
        #expect(
            HistoryTimeline.render(reply, person: Self.person) == [
                "DENIED for 018208*****: the youth is not registered in OT in unit 5001"
            ])
    }

    @Test("--as is user:county[:unit]")
    func requester() throws {
        #expect(try HistoryCommand.requester(from: "ola:50") == Requester(userId: "ola", countyNumber: .trondelag))
        #expect(
            try HistoryCommand.requester(from: "ola:50:5001")
                == Requester(userId: "ola", countyNumber: .trondelag, unitId: "5001"))
        for text in ["ola", "ola:99", "ola:50:", ":50"] {
            #expect(throws: (any Error).self) { try HistoryCommand.requester(from: text) }
        }
    }

    @Test("the national ID comes from the argument, or else from standard input's first line, kept out of the shell")
    func personFromStandardInput() throws {
        // 01820850056 is a valid synthetic number (NationalIDTests).
        var prompts = 0
        let noInput: () -> String? = {
            Issue.record("standard input read although the argument was given"); return nil
        }
        #expect(
            try HistoryCommand.person(argument: "01820850056", readLine: noInput, prompt: { prompts += 1 }).digits
                == "01820850056")
        #expect(prompts == 0)
        for argument in [nil, "-"] {
            let person = try HistoryCommand.person(
                argument: argument, readLine: { " 01820850056\r" }, prompt: { prompts += 1 })
            #expect(person.digits == "01820850056")
        }
        #expect(prompts == 2)
        // No line, or a wrong one: refused with the reason, the number masked.
        #expect(throws: (any Error).self) { try HistoryCommand.person(argument: nil, readLine: { nil }, prompt: {}) }
        do {
            _ = try HistoryCommand.person(argument: "-", readLine: { "01820850057" }, prompt: {})
            Issue.record("a wrong check digit was taken")
        } catch {
            #expect("\(error)".contains("018208*****"))
            #expect(!"\(error)".contains("01820850057"))
        }
    }
}
