import Foundation
import Kafka
import OTContract
import Testing

@testable import OTSimulation

@Suite("CohortSimulation: a seeded school year of upstream events and case-worker commands", .timeLimit(.minutes(2)))
struct CohortSimulationTests {
    static let schoolYear = SchoolYear(startYear: 2025)
    /// One large stream shared by the tests that only read it.
    static let large: SimulatedStream = {
        do {
            return try CohortSimulation(youths: 10_000, seed: 2026, schoolYear: schoolYear).generate()
        } catch {
            fatalError("the simulation failed: \(error)")
        }
    }()

    @Test("the same seed gives the same stream byte for byte; another seed another stream")
    func deterministic() throws {
        let first = try CohortSimulation(youths: 400, seed: 7, schoolYear: Self.schoolYear).generate()
        let again = try CohortSimulation(youths: 400, seed: 7, schoolYear: Self.schoolYear).generate()
        let other = try CohortSimulation(youths: 400, seed: 8, schoolYear: Self.schoolYear).generate()
        #expect(first.messages == again.messages)
        #expect(first.messages != other.messages)
        let people = Set(first.youths.map(\.personId))
        #expect(people.count == 400)
        #expect(people.intersection(other.youths.map(\.personId)).count < 10)
        #expect(first.summary.description == again.summary.description)
    }

    @Test(
        "with plans, the rest of the stream is the same; each plan starts with its create, after the youth was reached and while the registration is open"
    )
    func plans() throws {
        let without = try CohortSimulation(youths: 600, seed: 11, schoolYear: Self.schoolYear).generate()
        let with = try CohortSimulation(youths: 600, seed: 11, schoolYear: Self.schoolYear, plans: true).generate()
        let planTopic = Topic.followUpPlanCommands
        #expect(with.events.filter { $0.topic != planTopic }.map(\.message) == without.messages)
        let planEvents = with.events.filter { $0.topic == planTopic }
        #expect(!planEvents.isEmpty)
        for (youth, events) in Dictionary(grouping: with.events, by: \.youth) {
            let plans = events.filter { $0.topic == planTopic }
            guard let first = plans.first else { continue }
            #expect(first.event.type == CreatePlan.eventType)
            // A contact that reached the youth (or a status OTOV) comes first; nothing of the plan after a closing.
            let reachedAt = events.firstIndex { event in
                (try? event.event.decodePayload(as: RecordContact.self))?.reached == true
                    || (try? event.event.decodePayload(as: SetStatus.self))?.statusCode == .otov
            }
            let createdAt = events.firstIndex { $0.event.id == first.event.id }!
            #expect(reachedAt.map { $0 < createdAt } == true, "youth \(youth)")
            // The exit that closes the registration (an enrollment before the trigger is the youth's schooling).
            if let closing = events[createdAt...].firstIndex(where: {
                $0.event.type == CloseRegistration.eventType || $0.event.type == EnrollmentStarted.eventType
            }) {
                #expect(plans.allSatisfy { $0.date < events[closing].date }, "youth \(youth)")
            }
        }
        #expect(
            with.summary.eventsByType[CreatePlan.eventType]
                == planEvents.filter { $0.event.type == CreatePlan.eventType }.count)
    }

    @Test("every national ID is valid, synthetic, unique per youth, and the key of its youth's events")
    func nationalIDs() throws {
        let stream = Self.large
        #expect(Set(stream.youths.map(\.personId.digits)).count == stream.youths.count)
        for youth in stream.youths {
            #expect(youth.personId.isSynthetic)
            #expect(try NationalID(youth.personId.digits).isSynthetic)
        }
        for event in stream.events {
            #expect(event.key == stream.youths[event.youth].personId.digits)
        }
    }

    @Test("the trigger mix is near Udir's, every county is present, and about 2 in 5 come into activity")
    func mix() {
        let summary = Self.large.summary
        #expect(summary.youths == 10_000)
        #expect(abs(summary.share(of: .applicationMissing) - 0.35) < 0.02)
        #expect(abs(summary.share(of: .droppedOut) + summary.share(of: .droppedOutContinuing) - 0.30) < 0.02)
        #expect(summary.share(of: .droppedOutContinuing) > 0.02)
        #expect((0.15...0.20).contains(summary.share(of: .offerDeclined)))
        #expect(summary.share(of: .manualRegistration) + summary.share(of: .enrolled) > 0.12)
        #expect(Set(summary.youthsByCounty.keys) == Set(County.allCases))
        #expect(summary.youthsByCounty[.oslo]! > 4 * summary.youthsByCounty[.finnmark]!)
        #expect((0.01...0.05).contains(Double(summary.youthsWithoutGender) / 10_000))
        let activity = Double(summary.reachingActivity) / Double(summary.registered)
        #expect((0.35...0.45).contains(activity), "share in activity: \(activity)")
        #expect(summary.leaving > 0)
        for type in RegistrationCommand.eventTypes where type != ErasePerson.eventType {
            #expect(summary.eventsByType[type, default: 0] > 0, "no \(type)")
        }
        #expect(summary.eventsByType[EnrollmentStarted.eventType, default: 0] > 0)
    }

    @Test("events are in date order, each youth's strictly, starting with person.updated, all within the school year")
    func order() throws {
        let stream = Self.large
        var previous = Int64.min
        var lastOfYouth: [Int: Int64] = [:]
        for event in stream.events {
            let time = event.event.timeStamp.millisecondsSince1970
            #expect(time >= previous)
            previous = time
            if let last = lastOfYouth[event.youth] {
                #expect(time > last)
            } else {
                #expect(event.event.type == PersonUpdated.eventType)
            }
            lastOfYouth[event.youth] = time
            #expect(Self.schoolYear.contains(event.date))
            #expect(LocalDate(event.event.time, in: .norway) == event.date)
        }
        #expect(lastOfYouth.count == stream.youths.count)
    }

    @Test("every event decodes through its topic's typed enum, from the Kafka message as produced")
    func decodes() throws {
        for event in Self.large.events {
            let message = event.message
            #expect(message.headers == [KafkaHeader(name: "content-type", string: CloudEvent.structuredContentType)])
            #expect(message.key == Array(event.key.utf8))
            let decoded = try CloudEvent.decode(
                value: message.value, headers: message.headers.map { ($0.name, $0.value) })
            #expect(decoded == event.event)
            switch event.topic {
            case .enrollment:
                #expect(try EnrollmentEvent(decoded).eventType == decoded.type)
            case .registrationCommands:
                #expect(try RegistrationCommand(decoded).eventType == decoded.type)
            default:
                Issue.record("an event on \(event.topic)")
            }
        }
    }

    @Test("commands carry a correlation id and come after their youth's trigger, within the school year")
    func commandDates() throws {
        let stream = Self.large
        var commands = 0
        for event in stream.events where event.topic == .registrationCommands {
            commands += 1
            #expect(event.event.correlationID != nil)
            let youth = stream.youths[event.youth]
            let command = try RegistrationCommand(event.event)
            let date: LocalDate
            switch command {
            case .register(let register):
                #expect(youth.trigger == .manualRegistration && register.date == youth.triggerDate)
                #expect(register.unitId == youth.county.defaultUnitID && register.reason == .annet)
                continue
            case .recordContact(let contact): date = contact.date
            case .setStatus(let set):
                date = set.effectiveDate
                #expect(!set.statusCode.closesRegistration && set.statusCode != .otuk)
            case .recordActivity(let activity): date = activity.date
            case .transfer(let transfer):
                date = transfer.date
                #expect(transfer.toUnitId == youth.county.secondUnitID && transfer.toCountyNumber == youth.county)
            case .close(let close):
                date = close.date
                #expect(close.statusCode.closesRegistration)
            case .erasePerson:
                Issue.record("the simulation erases no one")
                continue
            }
            #expect(date == event.date)
            let registered = try #require(youth.registrationDate)
            #expect(date > registered)
            #expect(Self.schoolYear.contains(date))
        }
        #expect(commands > 10_000)
    }

    @Test("youths are 15 to 24 in the school year, and only triggers that register have a registration date")
    func ages() {
        for youth in Self.large.youths {
            let birth = youth.personId.birthDate
            #expect((15...24).contains(birth.ageAtEndOfYear(Self.schoolYear.startYear)))
            #expect((15...24).contains(birth.ageAtEndOfYear(Self.schoolYear.endYear)))
            #expect((youth.registrationDate != nil) == youth.trigger.registers)
        }
    }

    @Test("5,000 youths are generated in well under a second (release), a few seconds in a debug build")
    func fast() throws {
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            _ = try CohortSimulation(youths: 5_000, seed: 1, schoolYear: Self.schoolYear).generate()
        }
        #expect(elapsed < .seconds(5), "5,000 youths took \(elapsed)")
    }

    @Test("parameters out of range are refused with the reason")
    func invalid() {
        #expect(throws: SimulationError.self) {
            try CohortSimulation(youths: -1, schoolYear: Self.schoolYear).generate()
        }
        #expect {
            try CohortSimulation(youths: 1, schoolYear: SchoolYear(startYear: 2010)).generate()
        } throws: { error in
            "\(error)".contains("2010-2011 is outside 2015-2016")
        }
    }

    @Test("the default school year is the most recently ended one")
    func defaultSchoolYear() throws {
        #expect(SchoolYear.mostRecentlyEnded(asOf: try LocalDate("2026-11-29")) == SchoolYear(startYear: 2025))
        #expect(SchoolYear.mostRecentlyEnded(asOf: try LocalDate("2026-07-31")) == SchoolYear(startYear: 2024))
        #expect(SchoolYear.mostRecentlyEnded(asOf: try LocalDate("2026-08-01")) == SchoolYear(startYear: 2025))
    }

    @Test("the summary counts events by type and topic, and the largest partition is found")
    func summary() throws {
        let stream = try CohortSimulation(youths: 200, seed: 3, schoolYear: Self.schoolYear).generate()
        #expect(stream.summary.eventsByType.values.reduce(0, +) == stream.events.count)
        #expect(stream.summary.eventsByTopic.values.reduce(0, +) == stream.events.count)
        #expect(stream.summary.eventsByType[PersonUpdated.eventType] == 200)
        let largest = try #require(stream.largestPartition())
        #expect(largest.bytes > 0 && largest.bytes < stream.messages.reduce(0) { $0 + ($1.value?.count ?? 0) })
        #expect(stream.summary.description.contains("200 youths"))
        #expect(!stream.summary.description.contains(stream.youths[0].personId.digits))
    }
}

@Suite(
    "SimulatedStream: waves for services that do not order their input topics with each other", .timeLimit(.minutes(2)))
struct SimulatedStreamWaveTests {
    @Test("in each wave a youth's events are on one topic and keep their order; together the waves are the stream")
    func waves() throws {
        let stream = try CohortSimulation(youths: 2_000, seed: 5, schoolYear: SchoolYear(startYear: 2025)).generate()
        let waves = stream.waves
        #expect(waves.count == 3)
        #expect(waves.map(\.count).reduce(0, +) == stream.events.count)
        var position: [String: Int] = [:]
        for (index, event) in stream.events.enumerated() { position[event.event.id] = index }
        var lastWave: [Int: Int] = [:]
        var lastPosition: [Int: Int] = [:]
        for (number, wave) in waves.enumerated() {
            var topics: [Int: Topic] = [:]
            for event in wave {
                #expect(topics[event.youth, default: event.topic] == event.topic)
                topics[event.youth] = event.topic
                let index = try #require(position[event.event.id])
                #expect(index > lastPosition[event.youth, default: -1])
                #expect(number >= lastWave[event.youth, default: 0])
                lastPosition[event.youth] = index
                lastWave[event.youth] = number
            }
        }
    }
}

@Suite("SimulatedStream: the size estimate for the broker's limit", .timeLimit(.minutes(2)))
struct SimulatedStreamSizeTests {
    @Test("the structured size of every simulated event is exact")
    func structuredSize() throws {
        let stream = try CohortSimulation(youths: 300, seed: 12, schoolYear: SchoolYear(startYear: 2025)).generate()
        for event in stream.events {
            #expect(SimulatedStream.structuredSize(of: event.event) == event.event.structuredJSON().count)
        }
    }
}
