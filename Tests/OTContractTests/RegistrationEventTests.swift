import Foundation
import OTContract
import Testing

@Suite(
    "Registrations events carry what consumers need, and an erased person's event nothing more", .timeLimit(.minutes(2))
)
struct RegistrationEventTests {
    /// The fields every registrations event but `no.ot.youth.erased` must carry; `gender` may be absent.
    static let uniformFields = [
        "registrationId", "personId", "unitId", "countyNumber", "schoolYear", "reason", "statusCode", "statusGroup",
        "effectiveDate", "birthDate",
    ]

    /// A sample of every registrations event type but `no.ot.youth.erased`.
    static let samples = Samples.all.filter { type(of: $0).topic == .registrations && !($0 is YouthErased) }

    /// The sample of an event type.
    static func sample(_ eventType: String) throws -> any EventPayload {
        try #require(samples.first { type(of: $0).eventType == eventType })
    }

    /// A payload's `data`, as a JSON object.
    static func data(of payload: some EventPayload) throws -> [String: JSONValue] {
        try #require(try CloudEvent(payload, source: "urn:test").dataJSON().members)
    }

    /// An event of `type` with `data` as given.
    static func event(_ type: String, _ data: [String: JSONValue]) -> CloudEvent {
        CloudEvent(source: "urn:test", type: type, data: Array(JSONValue.object(data).description.utf8))
    }

    @Test("the samples cover every registrations event type but erased")
    func samplesCoverTheTopic() {
        let sampled = Set(Self.samples.map { type(of: $0).eventType })
        #expect(sampled == Set(RegistrationEvent.eventTypes).subtracting([YouthErased.eventType]))
    }

    @Test("every registrations event but erased carries the uniform fields", arguments: samples.map(Sample.init))
    func uniformFieldsCarried(sample: Sample) throws {
        let keys = Set(try Self.data(of: sample.payload).keys)
        #expect(keys.isSuperset(of: Self.uniformFields), "missing \(Set(Self.uniformFields).subtracting(keys))")
    }

    @Test(
        "a missing or null uniform field (reason, birthDate, ...) is a missing field named by its path",
        arguments: samples.map(Sample.init), uniformFields
    )
    func missingField(sample: Sample, field: String) throws {
        let eventType = type(of: sample.payload).eventType
        var data = try Self.data(of: sample.payload)
        data[field] = nil
        #expect(throws: ContractError.missingField("data.\(field)")) {
            try RegistrationEvent(Self.event(eventType, data))
        }
        data[field] = .null
        #expect(throws: ContractError.missingField("data.\(field)")) {
            try RegistrationEvent(Self.event(eventType, data))
        }
    }

    @Test("gender may be absent or null, since upstream may not know it", arguments: samples.map(Sample.init))
    func genderOptional(sample: Sample) throws {
        let eventType = type(of: sample.payload).eventType
        var data = try Self.data(of: sample.payload)
        for absent: JSONValue? in [nil, .null] {
            data["gender"] = absent
            let decoded = try RegistrationEvent(Self.event(eventType, data)).payload
            #expect(try Self.data(of: decoded)["gender"] == nil)
        }
        data["gender"] = "X"
        #expect(throws: ContractError.invalidField("data.gender", reason: "unknown gender 'X'")) {
            try RegistrationEvent(Self.event(eventType, data))
        }
    }

    @Test("a status group that is not the status code's is rejected", arguments: samples.map(Sample.init))
    func statusGroupMismatch(sample: Sample) throws {
        let eventType = type(of: sample.payload).eventType
        var data = try Self.data(of: sample.payload)
        let code = try #require(data["statusCode"]?.stringValue.flatMap(OTStatusCode.init(rawValue:)))
        #expect(code.group != .avklart, "the sample must not already be in group 4")
        data["statusGroup"] = 4
        let expected = ContractError.invalidField(
            "data.statusGroup", reason: "is 4 but \(code.rawValue) is in group \(code.group.rawValue)")
        #expect(throws: expected) {
            try RegistrationEvent(Self.event(eventType, data))
        }
    }

    @Test("a producer cannot publish a status group that is not the status code's")
    func statusGroupMismatchOnEncode() {
        #expect(throws: ContractError.invalidField("data.statusGroup", reason: "is 3 but OTUK is in group 1")) {
            try CloudEvent(Samples.registeredInWrongGroup, source: "urn:test")
        }
        var closed = RegistrationClosed(
            registrationId: "r-1", personId: Samples.person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: Samples.schoolYear, cause: .statusCode, reason: .ikkeSokt, statusCode: .feil,
            statusGroup: .avklart, effectiveDate: Samples.date, birthDate: Samples.birthDate)
        #expect(throws: ContractError.invalidField("data.statusGroup", reason: "is 4 but Feil is in group 5")) {
            try CloudEvent(closed, source: "urn:test")
        }
        closed.cause = .agedOut
        closed.statusCode = nil
        closed.statusGroup = .ikkeIMalgruppen
        #expect(
            throws: ContractError.invalidField(
                "data.statusGroup", reason: "is 5 but AGED_OUT closes without a group 5 status code")
        ) {
            try CloudEvent(closed, source: "urn:test")
        }
    }

    @Test(
        "a field that repeats another under the uniform name must agree with it",
        arguments: [
            (
                StatusChanged.eventType, "statusCode", JSONValue.string("OTAR"),
                ContractError.invalidField("data.statusCode", reason: "is OTAR but data.to is OTOV")
            ),
            (
                YouthRegistered.eventType, "effectiveDate", "2026-03-03",
                .invalidField("data.effectiveDate", reason: "is 2026-03-03 but data.registeredAt is 2026-03-02")
            ),
            (
                ContactRecorded.eventType, "effectiveDate", "2026-03-01",
                .invalidField("data.effectiveDate", reason: "is 2026-03-01 but data.date is 2026-03-02")
            ),
            (
                ActivityRecorded.eventType, "effectiveDate", "2026-03-03",
                .invalidField("data.effectiveDate", reason: "is 2026-03-03 but data.date is 2026-03-02")
            ),
            (
                YouthTransferred.eventType, "unitId", "5001",
                .invalidField("data.unitId", reason: "is 5001 but data.toUnitId is 0301")
            ),
            (
                YouthTransferred.eventType, "countyNumber", "50",
                .invalidField("data.countyNumber", reason: "is 50 but data.toCountyNumber is 03")
            ),
        ]
    )
    func repeatedFieldsAgree(eventType: String, field: String, value: JSONValue, expected: ContractError) throws {
        var data = try Self.data(of: try Self.sample(eventType))
        #expect(data[field] != value)
        data[field] = value
        #expect(throws: expected) {
            try RegistrationEvent(Self.event(eventType, data))
        }
    }

    @Test("the initialisers fill the fields that repeat others")
    func repeatedFieldsFilled() {
        let changed = StatusChanged(
            registrationId: "r-1", personId: Samples.person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: Samples.schoolYear, from: .otov, to: .otar, reason: .sluttet, statusGroup: .iAktivitet,
            effectiveDate: Samples.date, birthDate: Samples.birthDate)
        #expect(changed.statusCode == .otar)
        #expect(changed.gender == nil)
        let registered = YouthRegistered(
            registrationId: "r-1", personId: Samples.person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: Samples.schoolYear, registeredAt: Samples.date, reason: .sluttet, statusCode: .otuk,
            statusGroup: .ukjentAktivitet, birthDate: Samples.birthDate)
        #expect(registered.effectiveDate == registered.registeredAt)
        let transferred = YouthTransferred(
            registrationId: "r-1", personId: Samples.person, schoolYear: Samples.schoolYear, fromUnitId: "5001",
            fromCountyNumber: .trondelag, toUnitId: "4601", toCountyNumber: .vestland, reason: .sluttet,
            statusCode: .otov, statusGroup: .underOppfolging, effectiveDate: Samples.date,
            birthDate: Samples.birthDate)
        #expect(transferred.unitId == "4601")
        #expect(transferred.countyNumber == .vestland)
    }

    @Test("a registration closed by aging out has no status code, and the group of its last status")
    func closedByAgingOut() throws {
        let data = #"""
            {"registrationId":"r-2","personId":"01820850056","unitId":"5001","countyNumber":"50",
             "schoolYear":"2032-2033","cause":"AGED_OUT","reason":"ANNET","statusGroup":2,
             "effectiveDate":"2032-12-31","birthDate":"2008-02-01"}
            """#
        let event = CloudEvent(source: "urn:test", type: RegistrationClosed.eventType, data: Array(data.utf8))
        guard case .closed(let closed) = try RegistrationEvent(event) else {
            Issue.record("wrong case")
            return
        }
        #expect(
            closed
                == RegistrationClosed(
                    registrationId: "r-2", personId: Samples.person, unitId: "5001", countyNumber: .trondelag,
                    schoolYear: SchoolYear(startYear: 2032), cause: .agedOut, reason: .annet,
                    statusGroup: .underOppfolging, effectiveDate: Samples.localDate("2032-12-31"),
                    birthDate: Samples.birthDate))
        #expect(closed.statusCode == nil)
        #expect(closed.gender == nil)
    }

    @Test(
        "a registration closed for another cause than a status code keeps the group of its last status, never 5",
        arguments: RegistrationClosureCause.allCases.filter { $0 != .statusCode }
    )
    func closedWithoutStatusCode(cause: RegistrationClosureCause) throws {
        var closed = RegistrationClosed(
            registrationId: "r-1", personId: Samples.person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: Samples.schoolYear, cause: cause, reason: .sluttet, statusGroup: .iAktivitet,
            effectiveDate: Samples.date, birthDate: Samples.birthDate, gender: .kvinne)
        try TopicEventTests.roundTrip(closed)
        closed.statusGroup = .ikkeIMalgruppen
        #expect(
            throws: ContractError.invalidField(
                "data.statusGroup", reason: "is 5 but \(cause.rawValue) closes without a group 5 status code")
        ) {
            try CloudEvent(closed, source: "urn:test")
        }
        closed.statusGroup = .iAktivitet
        closed.statusCode = .otevIM
        #expect(
            throws: ContractError.invalidField(
                "data.statusCode", reason: "only a registration closed by a status code has one")
        ) {
            try CloudEvent(closed, source: "urn:test")
        }
    }

    @Test("an erased person's event carries no birth date, gender or other personal data")
    func erasedCarriesNoPersonalData() throws {
        let erased = YouthErased(personId: Samples.dNumberPerson, registrationIds: ["r-1"], erasedAt: Samples.time)
        let fields: Set = ["personId", "registrationIds", "erasedAt"]
        #expect(Set(Mirror(reflecting: erased).children.compactMap(\.label)) == fields)
        var data = try Self.data(of: erased)
        #expect(Set(data.keys) == fields)

        // Personal data a producer adds by mistake is not read, so it cannot travel on.
        data["birthDate"] = "2010-05-17"
        data["gender"] = "M"
        guard case .erased(let decoded) = try RegistrationEvent(Self.event(YouthErased.eventType, data)) else {
            Issue.record("wrong case")
            return
        }
        #expect(decoded == erased)
        #expect(Set(try Self.data(of: decoded).keys) == fields)
    }
}

extension JSONValue {
    /// The members, if this is an object.
    fileprivate var members: [String: JSONValue]? {
        if case .object(let members) = self { members } else { nil }
    }
}
