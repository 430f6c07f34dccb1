import Foundation
import OTContract
import Testing

@Suite("Typed payloads: strict decoding names the field", .timeLimit(.minutes(2)))
struct EventPayloadTests {
    static let person = "01820850056"

    /// An event of `type` with `data` as given.
    static func event(_ type: String, _ data: String) -> CloudEvent {
        CloudEvent(source: "urn:test", type: type, data: Array(data.utf8))
    }

    static let application = #"""
        {"personId":"01820850056","schoolYear":"2026-2027","submittedAt":"2026-02-27T10:00:00Z",
         "choices":[{"programmeAreaCode":"ELELE1----","schoolOrgNumber":"974567890"},
                    {"programmeAreaCode":"TPTIP1----","schoolOrgNumber":"998877665"}]}
        """#

    @Test("a well-formed payload decodes; unknown fields are ignored")
    func decodes() throws {
        let data = String(Self.application.dropLast()) + #","addedLater":{"x":1}}"#
        let payload = try Self.event(ApplicationSubmitted.eventType, data).decodePayload(as: ApplicationSubmitted.self)
        #expect(payload.choices.count == 2)
        #expect(payload.choices[1].schoolOrgNumber.digits == "998877665")
        #expect(payload.submittedAt.rfc3339 == "2026-02-27T10:00:00.000Z")
        #expect(payload.personId.birthDate == Samples.localDate("2008-02-01"))
    }

    @Test(
        "a missing or ill-typed field is named by its path",
        arguments: [
            (
                #"{"programmeAreaCode":"ELELE1----","schoolOrgNumber":"974567890"}"#,
                #"{"programmeAreaCode":"ELELE1----"}"#,
                ContractError.missingField("data.choices[0].schoolOrgNumber")
            ),
            (
                #"{"programmeAreaCode":"TPTIP1----","schoolOrgNumber":"998877665"}"#,
                #"{"programmeAreaCode":"TPTIP1----","schoolOrgNumber":"12345"}"#,
                .invalidField(
                    "data.choices[1].schoolOrgNumber", reason: "invalid organisation number '12345': must be 9 digits")
            ),
            (
                #"{"programmeAreaCode":"TPTIP1----","schoolOrgNumber":"998877665"}"#,
                #"{"programmeAreaCode":"TPTIP1----","schoolOrgNumber":998877665}"#,
                .invalidField("data.choices[1].schoolOrgNumber", reason: "expected a string, found a number")
            ),
            (
                #"{"programmeAreaCode":"TPTIP1----","schoolOrgNumber":"998877665"}"#,
                #"{"programmeAreaCode":"  ","schoolOrgNumber":"998877665"}"#,
                .invalidField("data.choices[1].programmeAreaCode", reason: "must not be empty")
            ),
            (
                #""schoolYear":"2026-2027""#, #""schoolYear":"2026-2028""#,
                .invalidField(
                    "data.schoolYear",
                    reason: "invalid school year '2026-2028': the second year must follow the first")
            ),
            (
                #""schoolYear":"2026-2027""#, #""schoolYear":null"#,
                .missingField("data.schoolYear")
            ),
            (
                #""submittedAt":"2026-02-27T10:00:00Z""#, #""submittedAt":"2026-02-27""#,
                .invalidField(
                    "data.submittedAt",
                    reason:
                        "invalid RFC 3339 timestamp '2026-02-27': expected YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM)")
            ),
        ]
    )
    func fieldErrors(original: String, replacement: String, expected: ContractError) {
        let data = Self.application.replacingOccurrences(of: original, with: replacement)
        #expect(data != Self.application)
        #expect(throws: expected) {
            try EnrollmentEvent(Self.event(ApplicationSubmitted.eventType, data))
        }
    }

    @Test("an empty choice list breaks the payload's rule")
    func noChoices() {
        let data =
            #"{"personId":"01820850056","schoolYear":"2026-2027","submittedAt":"2026-02-27T10:00:00Z","choices":[]}"#
        #expect(throws: ContractError.invalidField("data.choices", reason: "must hold at least one choice")) {
            try Self.event(ApplicationSubmitted.eventType, data).decodePayload(as: ApplicationSubmitted.self)
        }
    }

    @Test("an invalid national ID in a payload is named, and masked in the message")
    func invalidNationalID() throws {
        let data = #"{"personId":"01820850057","schoolYear":"2026-2027","deadline":"2026-03-01"}"#
        let expected = ContractError.invalidField(
            "data.personId", reason: "invalid national ID: 018208*****: second check digit (K2) does not match")
        #expect(throws: expected) {
            try EnrollmentEvent(Self.event(ApplicationMissing.eventType, data))
        }
        do {
            _ = try EnrollmentEvent(Self.event(ApplicationMissing.eventType, data))
        } catch {
            #expect(!error.description.contains("01820850057"))
        }
    }

    @Test(
        "codes outside their list are named",
        arguments: [
            (
                SetStatus.eventType,
                #"{"personId":"01820850056","statusCode":"OTXX","effectiveDate":"2026-03-02"}"#,
                ContractError.invalidField("data.statusCode", reason: "unknown OT status code 'OTXX'")
            ),
            (
                SetStatus.eventType,
                #"{"personId":"01820850056","statusCode":"otov","effectiveDate":"2026-03-02"}"#,
                .invalidField("data.statusCode", reason: "unknown OT status code 'otov'")
            ),
            (
                RecordContact.eventType,
                #"{"personId":"01820850056","date":"2026-03-02","channel":"PIGEON","reached":true}"#,
                .invalidField("data.channel", reason: "unknown contact channel 'PIGEON'")
            ),
            (
                RecordContact.eventType,
                #"{"personId":"01820850056","date":"2026-03-02","channel":"SMS","reached":"yes"}"#,
                .invalidField("data.reached", reason: "expected a boolean, found a string")
            ),
            (
                RegisterYouth.eventType,
                #"{"personId":"01820850056","unitId":"5001","countyNumber":"16","reason":"ANNET","date":"2026-03-02"}"#,
                .invalidField("data.countyNumber", reason: "unknown county number '16'")
            ),
            (
                RegisterYouth.eventType,
                #"{"personId":"01820850056","unitId":"5001","countyNumber":"50","reason":"BORED","date":"2026-03-02"}"#,
                .invalidField("data.reason", reason: "unknown registration reason 'BORED'")
            ),
            (
                RegisterYouth.eventType,
                #"{"personId":"01820850056","unitId":"5001","countyNumber":"50","reason":"ANNET","date":"2026-02-30"}"#,
                .invalidField("data.date", reason: "invalid date '2026-02-30': no such date")
            ),
            (
                CloseRegistration.eventType,
                #"{"personId":"01820850056","date":"2026-03-02","statusCode":"OTOV"}"#,
                .invalidField("data.statusCode", reason: "OTOV is in group 2; closing needs a group 5 code")
            ),
            (
                SetStatus.eventType,
                #"{"personId":"01820850056","statusCode":"OTVF","effectiveDate":"2016-07-31"}"#,
                .invalidField("data.statusCode", reason: "OT status code 'OTVF' is not valid on 2016-07-31")
            ),
        ]
    )
    func codeErrors(type: String, data: String, expected: ContractError) {
        #expect(throws: expected) {
            try RegistrationCommand(Self.event(type, data))
        }
    }

    @Test("events check the rules across their fields")
    func crossFieldRules() {
        let statusChanged = #"""
            {"registrationId":"r-1","personId":"01820850056","unitId":"5001","countyNumber":"50",
             "schoolYear":"2026-2027","from":"OTUK","to":"OTOV","reason":"SLUTTET","statusCode":"OTOV",
             "statusGroup":3,"effectiveDate":"2026-09-01","birthDate":"2008-02-01"}
            """#
        #expect(throws: ContractError.invalidField("data.statusGroup", reason: "is 3 but OTOV is in group 2")) {
            try RegistrationEvent(Self.event(StatusChanged.eventType, statusChanged))
        }
        #expect(throws: ContractError.invalidField("data.statusGroup", reason: "unknown OT status group '7'")) {
            try RegistrationEvent(
                Self.event(StatusChanged.eventType, statusChanged.replacingOccurrences(of: ":3,", with: ":7,")))
        }
        let closed = RegistrationClosed(
            registrationId: "r-1", personId: Samples.person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: Samples.schoolYear, cause: .statusCode, reason: .sluttet, statusGroup: .ikkeIMalgruppen,
            effectiveDate: Samples.date, birthDate: Samples.birthDate)
        #expect(throws: ContractError.missingField("data.statusCode")) {
            try CloudEvent(closed, source: "urn:test")
        }
        let review = RecordReview(
            personId: Samples.person, planId: "p-1", date: Samples.date, nextReviewDate: Samples.date)
        #expect(
            throws: ContractError.invalidField(
                "data.nextReviewDate", reason: "2026-03-02 is not after data.date 2026-03-02")
        ) {
            try CloudEvent(review, source: "urn:test")
        }
        let measure = MeasureStatusChanged(
            planId: "p-1", personId: Samples.person, measureId: "m-1", from: .completed, to: .inProgress,
            date: Samples.date)
        #expect(
            throws: ContractError.invalidField("data.to", reason: "a measure cannot go from COMPLETED to IN_PROGRESS")
        ) {
            try CloudEvent(measure, source: "urn:test")
        }
        #expect(throws: ContractError.missingField("data.reason")) {
            try CloudEvent(
                CommandReply(commandId: "c", commandType: "t", status: .rejected), source: "urn:test")
        }
        #expect(throws: ContractError.missingField("data.history")) {
            try CloudEvent(SchoolHistoryReply(requestId: "q", status: .ok), source: "urn:test")
        }
        #expect(throws: ContractError.missingField("data.personId")) {
            try CloudEvent(
                AccessLogEntry(
                    requestId: "q", requester: Samples.requester, purpose: "x", occurredAt: Samples.time,
                    outcome: .denied),
                source: "urn:test")
        }
    }

    @Test("data that is not an object, or not JSON, is reported as such")
    func wrongShape() {
        #expect(throws: ContractError.invalidField("data", reason: "expected an object, found an array")) {
            try Self.event(ErasePerson.eventType, "[]").decodePayload(as: ErasePerson.self)
        }
        #expect(throws: ContractError.missingField("data.personId")) {
            try Self.event(ErasePerson.eventType, "{}").decodePayload(as: ErasePerson.self)
        }
        #expect(throws: ContractError.self) {
            try Self.event(ErasePerson.eventType, "{").decodePayload(as: ErasePerson.self)
        }
    }

    @Test("a nested object's missing field is named by its full path")
    func nestedPath() {
        let data = #"""
            {"requestId":"q-1","personId":"01820850056","requester":{"countyNumber":"50"},"purpose":"x"}
            """#
        #expect(throws: ContractError.missingField("data.requester.userId")) {
            try Self.event(SchoolHistoryRequest.eventType, data).decodePayload(as: SchoolHistoryRequest.self)
        }
        let reply = #"""
            {"requestId":"q-1","status":"OK","history":{"applications":[],"offers":[],"enrollments":[],
             "dropouts":[{"schoolYear":"2025-2026","date":"2025-11-03","reasonCode":"XX"}],"completions":[]}}
            """#
        #expect(
            throws: ContractError.invalidField(
                "data.history.dropouts[0].reasonCode", reason: "unknown B06 dropout reason 'XX'")
        ) {
            try Self.event(SchoolHistoryReply.eventType, reply).decodePayload(as: SchoolHistoryReply.self)
        }
    }
}

@Suite("Typed payloads: optional fields and stable bytes", .timeLimit(.minutes(2)))
struct PayloadEncodingTests {
    @Test("person.updated may come without a gender, which the population register may not have")
    func personWithoutGender() throws {
        let data =
            #"{"personId":"01820850056","birthDate":"2008-02-01","countyNumber":"50","municipalityNumber":"5001"}"#
        let decoded = try EventPayloadTests.event(PersonUpdated.eventType, data).decodePayload(as: PersonUpdated.self)
        #expect(decoded.gender == nil)
        let written = try CloudEvent(decoded, source: "urn:test")
        #expect(!String(decoding: written.data ?? [], as: UTF8.self).contains("gender"))
        #expect(throws: ContractError.invalidField("data.gender", reason: "unknown gender 'X'")) {
            try EventPayloadTests.event(PersonUpdated.eventType, String(data.dropLast()) + #","gender":"X"}"#)
                .decodePayload(as: PersonUpdated.self)
        }
    }

    @Test("a payload's JSON has its keys sorted, so the same payload always gives the same bytes")
    func sortedKeys() throws {
        let payload = try ApplicationMissing(
            personId: NationalID("01820850056"), schoolYear: SchoolYear("2026-2027"),
            deadline: LocalDate("2026-03-01"))
        let event = try CloudEvent(payload, source: "urn:test")
        #expect(
            String(decoding: event.data ?? [], as: UTF8.self)
                == #"{"deadline":"2026-03-01","personId":"01820850056","schoolYear":"2026-2027"}"#)
    }
}
