import Foundation
import OTContract
import Testing

@Suite("Every event and command type round-trips through structured JSON", .timeLimit(.minutes(2)))
struct TopicEventTests {
    static let topicEvents: [any TopicEvent.Type] = [
        EnrollmentEvent.self, RegistrationCommand.self, RegistrationEvent.self, FollowUpPlanCommand.self,
        FollowUpPlanEvent.self, StatisticsEvent.self, AuditEvent.self,
    ]
    /// The payload types of the topics that carry a single type.
    static let singleTypes: [any EventPayload.Type] = [
        CommandReply.self, SchoolHistoryRequest.self, SchoolHistoryReply.self,
    ]

    @Test("round trip", arguments: Samples.all.map(Sample.init))
    func roundTrip(sample: Sample) throws {
        try Self.roundTrip(sample.payload)
    }

    static func roundTrip<P: EventPayload>(_ payload: P) throws {
        let event = try CloudEvent(
            payload, id: "e-1", source: ServiceName.registrations.eventSource, time: Samples.time.date,
            correlationID: "c-1")
        #expect(event.type == P.eventType)

        let bytes = event.structuredJSON()
        let decoded = try CloudEvent.decode(value: bytes, headers: CloudEvent.structuredHeaders)
        #expect(decoded == event)
        #expect(try decoded.decodePayload(as: P.self) == payload)

        let viaTopic = try decodeOnItsTopic(decoded)
        #expect(viaTopic as? P == payload)
        if EnrollmentEvent.eventTypes.contains(event.type) {
            #expect(try EnrollmentEvent(decoded).personId == (payload as? any PersonKeyedPayload)?.personId)
        }

        // Binary mode carries the same event.
        let binary = try CloudEvent.decode(value: event.data, headers: event.binaryHeaders())
        #expect(binary == event)
    }

    /// Decodes an event the way a consumer of its topic would.
    static func decodeOnItsTopic(_ event: CloudEvent) throws -> any EventPayload {
        for topicEvent in topicEvents where topicEvent.eventTypes.contains(event.type) {
            return try topicEvent.init(event).payload
        }
        for type in singleTypes where type.eventType == event.type {
            return try event.decodePayload(as: type)
        }
        throw ContractError.unknownEventType(type: event.type, topic: "?")
    }

    @Test("the samples cover every type of every topic")
    func samplesCoverEveryType() {
        let sampled = Set(Samples.all.map { type(of: $0).eventType })
        let all = Self.topicEvents.flatMap { $0.eventTypes } + Self.singleTypes.map { $0.eventType }
        #expect(Set(all) == sampled)
        #expect(Set(all).count == all.count, "event types are unique across the contract")
    }

    @Test("every payload type names the topic of its enum", arguments: topicEvents.map(TopicEventType.init))
    func payloadTopicsMatch(topicEvent: TopicEventType) {
        for payloadType in topicEvent.type.payloadTypes {
            #expect(payloadType.topic == topicEvent.type.topic, "\(payloadType.eventType)")
        }
    }

    @Test("the topics carry the design's event types")
    func designTypes() {
        #expect(
            EnrollmentEvent.eventTypes == [
                "no.vigo.person.updated", "no.vigo.application.submitted", "no.vigo.application.missing",
                "no.vigo.offer.answered", "no.vigo.enrollment.started", "no.vigo.enrollment.dropped-out",
                "no.vigo.education.completed",
            ])
        #expect(
            RegistrationCommand.eventTypes == [
                "no.ot.registration.register", "no.ot.contact.record", "no.ot.status.set", "no.ot.activity.record",
                "no.ot.registration.transfer", "no.ot.registration.close", "no.ot.person.erase",
            ])
        #expect(
            RegistrationEvent.eventTypes == [
                "no.ot.youth.registered", "no.ot.youth.contact-recorded", "no.ot.youth.status-changed",
                "no.ot.youth.activity-recorded", "no.ot.youth.transferred", "no.ot.youth.registration-closed",
                "no.ot.youth.erased",
            ])
        #expect(FollowUpPlanEvent.eventTypes.contains("no.ot.plan.review-overdue"))
    }

    @Test("an event type the topic does not carry is an unknown event type")
    func unknownType() throws {
        let event = try CloudEvent(
            SetStatus(personId: Samples.person, statusCode: .otov, effectiveDate: Samples.date), source: "urn:test")
        #expect(throws: ContractError.unknownEventType(type: "no.ot.status.set", topic: "vigo.enrollment.v1")) {
            try EnrollmentEvent(event)
        }
        var renamed = event
        renamed.type = "no.ot.status.sett"
        #expect(
            throws: ContractError.unknownEventType(type: "no.ot.status.sett", topic: "ot.registrations.commands.v1")
        ) {
            try RegistrationCommand(renamed)
        }
    }

    @Test("the enum decodes into the case of the event's type")
    func enumCase() throws {
        let payload = EnrollmentDroppedOut(
            personId: Samples.person, schoolYear: Samples.schoolYear, date: Samples.date, reasonCode: .didNotShowUp)
        let event = try CloudEvent(payload, source: "urn:vigo:pupil-register")
        guard case .enrollmentDroppedOut(let decoded) = try EnrollmentEvent(event) else {
            Issue.record("wrong case")
            return
        }
        #expect(decoded == payload)
        #expect(try EnrollmentEvent(event).eventType == "no.vigo.enrollment.dropped-out")
    }

    @Test("an event caused by a command carries its correlation id on")
    func causedBy() throws {
        let command = try CloudEvent(
            SetStatus(personId: Samples.person, statusCode: .otov, effectiveDate: Samples.date),
            id: "cmd-1", source: "urn:ot:frontend", correlationID: "corr-9")
        let reply = try CloudEvent(
            CommandReply.accepted(command), source: ServiceName.registrations.eventSource, causedBy: command)
        #expect(reply.correlationID == "corr-9")
        let payload = try reply.decodePayload(as: CommandReply.self)
        #expect(payload == CommandReply(commandId: "cmd-1", commandType: "no.ot.status.set", status: .accepted))

        var uncorrelated = command
        uncorrelated.correlationID = nil
        let rejected = try CloudEvent(
            CommandReply.rejected(uncorrelated, reason: "no open registration"), source: "urn:ot:x",
            causedBy: uncorrelated)
        #expect(rejected.correlationID == "cmd-1")
    }

    @Test("person-keyed payloads are keyed by the full national ID")
    func partitionKeys() {
        let request = SchoolHistoryRequest(
            requestId: "q-1", personId: Samples.person, requester: Samples.requester, purpose: "x")
        #expect(request.partitionKey == "01820850056")
        #expect(SchoolHistoryReply(requestId: "q-1", status: .notFound).partitionKey == "q-1")
    }
}

/// A topic enum type as a test argument.
struct TopicEventType: Sendable, CustomTestStringConvertible {
    let type: any TopicEvent.Type
    var testDescription: String { type.topic.name }
}

@Suite("Statistics keys and records", .timeLimit(.minutes(2)))
struct StatisticsContractTests {
    @Test(
        "keys read and print as {scope}:{id}:{period}",
        arguments: ["county:50:current", "unit:5001:current", "national:all:2026-06-15"])
    func keys(text: String) throws {
        #expect(try StatisticsKey(text).description == text)
    }

    @Test(
        "malformed keys are errors",
        arguments: ["county:50", "region:50:current", "county::current", "county:50:2026-13-01"])
    func badKeys(text: String) {
        #expect(throws: ContractError.self) { try StatisticsKey(text) }
    }

    @Test("a record may not publish a count from 1 to 4, nor list a published cell as suppressed")
    func smallCounts() throws {
        var record = try #require(Samples.all.compactMap { $0 as? StatisticsUpdated }.first)
        try record.validate()
        record.byStatusGroup["2"] = 3
        #expect(throws: ContractError.self) { try record.validate() }
        record.byStatusGroup["2"] = 8
        #expect(throws: ContractError.self) { try record.validate() }
    }

    @Test("age bands count by age at the end of the year")
    func ageBands() throws {
        let born = try LocalDate("2009-12-31")
        #expect(AgeBand(birthDate: born, endOfYear: 2025) == .age15to16)
        #expect(AgeBand(birthDate: born, endOfYear: 2026) == .age17)
        #expect(AgeBand(birthDate: born, endOfYear: 2029) == .age20)
        #expect(AgeBand(birthDate: born, endOfYear: 2030) == .age21to24)
    }
}
