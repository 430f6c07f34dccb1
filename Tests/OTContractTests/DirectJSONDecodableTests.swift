import Foundation
import Testing

@testable import OTContract

/// The payloads that read their own members (``DirectJSONDecodable``) against Foundation's `JSONDecoder`: the same
/// value wherever both decode, and `nil` (the decoders behind it decide) wherever Foundation throws.
@Suite("Payloads decoded without a Decoder", .timeLimit(.minutes(2)))
struct DirectJSONDecodableTests {
    static let person = Samples.person
    static func date(_ text: String) -> LocalDate { Samples.localDate(text) }

    /// One payload of every type that decodes itself, each member with a value no other member of its JSON type
    /// has (so that a member read under another's name shows), and the optional ones given.
    static let payloads: [any EventPayload & DirectJSONDecodable] = [
        YouthRegistered(
            registrationId: "r-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: Samples.schoolYear, registeredAt: date("2026-03-02"), reason: .takketNei, statusCode: .otuk,
            statusGroup: .ukjentAktivitet, birthDate: date("2008-02-01"), gender: .kvinne
        ).with { $0.effectiveDate = date("2026-03-03") },
        StatusChanged(
            registrationId: "r-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: Samples.schoolYear, from: .otuk, to: .otov, reason: .takketNei, statusGroup: .underOppfolging,
            effectiveDate: date("2026-03-02"), birthDate: date("2008-02-01"), gender: .mann
        ).with { $0.statusCode = .otvf },
        RegistrationClosed(
            registrationId: "r-1", personId: person, unitId: "0301", countyNumber: .oslo,
            schoolYear: Samples.schoolYear, cause: .statusCode, reason: .takketNei, statusCode: .otevIM,
            statusGroup: .ikkeIMalgruppen, effectiveDate: date("2026-03-02"), birthDate: date("2008-02-01"),
            gender: .kvinne),
        RegistrationClosed(
            registrationId: "r-2", personId: person, unitId: "0301", countyNumber: .oslo,
            schoolYear: Samples.schoolYear, cause: .agedOut, reason: .sluttet, statusCode: nil,
            statusGroup: .underOppfolging, effectiveDate: date("2026-03-02"), birthDate: date("2008-02-01"),
            gender: nil),
        ContactRecorded(
            registrationId: "r-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: Samples.schoolYear, date: date("2026-03-04"), channel: .meeting, reached: true,
            reason: .takketNei, statusCode: .otuk, statusGroup: .ukjentAktivitet, birthDate: date("2008-02-01"),
            gender: .kvinne
        ).with { $0.effectiveDate = date("2026-03-05") },
        ActivityRecorded(
            registrationId: "r-1", personId: person, unitId: "5001", countyNumber: .trondelag,
            schoolYear: Samples.schoolYear, activityType: .guidance, date: date("2026-03-04"), reason: .takketNei,
            statusCode: .otov, statusGroup: .underOppfolging, birthDate: date("2008-02-01"), gender: .mann
        ).with { $0.effectiveDate = date("2026-03-05") },
        YouthTransferred(
            registrationId: "r-1", personId: person, schoolYear: Samples.schoolYear, fromUnitId: "5002",
            fromCountyNumber: .trondelag, toUnitId: "0301", toCountyNumber: .oslo, reason: .takketNei,
            statusCode: .otov, statusGroup: .underOppfolging, effectiveDate: date("2026-03-02"),
            birthDate: date("2008-02-01"), gender: .kvinne
        ).with {
            $0.unitId = "4601"
            $0.countyNumber = .vestland
        },
        PersonUpdated(
            personId: person, birthDate: date("2008-02-01"), gender: .kvinne, countyNumber: .trondelag,
            municipalityNumber: "5001"),
        PersonUpdated(
            personId: person, birthDate: date("2008-02-01"), gender: nil, countyNumber: .oslo,
            municipalityNumber: "0301"),
        ApplicationMissing(personId: person, schoolYear: Samples.schoolYear, deadline: date("2026-03-01")),
        EnrollmentStarted(
            personId: person, schoolYear: Samples.schoolYear, schoolOrgNumber: Samples.school,
            programmeAreaCode: "ELELE1----", startDate: date("2026-08-19"), kind: .apprentice),
        EnrollmentDroppedOut(
            personId: person, schoolYear: Samples.schoolYear, date: date("2026-08-19"), reasonCode: .didNotShowUp),
        EducationCompleted(personId: person, date: date("2028-06-20"), qualification: .fagbrev),
        OfferAnswered(
            personId: person, schoolYear: Samples.schoolYear, programmeAreaCode: "ELELE1----",
            schoolOrgNumber: Samples.school, answer: .noAnswer),
    ]

    /// What Foundation decodes from `json`, or `nil` where it throws.
    static func foundation<P: EventPayload>(_ type: P.Type, _ json: [UInt8]) -> P? {
        try? JSONDecoder().decode(P.self, from: Data(json))
    }

    /// What the payload reads itself from `json`.
    static func direct<P: EventPayload & DirectJSONDecodable>(_ type: P.Type, _ json: [UInt8]) -> P? {
        JSONObjectFields.reading(json, P.init(fields:))
    }

    @Test("each payload reads itself back from its own JSON, as Foundation does")
    func roundTrip() throws {
        func check<P: EventPayload & DirectJSONDecodable>(_ payload: P) throws {
            let json = try ContractJSON.encode(payload)
            #expect(Self.direct(P.self, json) == payload, "\(P.self)")
            #expect(Self.foundation(P.self, json) == payload, "\(P.self)")
        }
        for payload in Self.payloads { try check(payload) }
    }

    /// Every document one change away from the payload's own: a member added, each member left out, `null`, of every
    /// other JSON type, a text that is no such value, and every two members' values swapped.
    static func neighbours(of json: [UInt8]) throws -> [JSONValue] {
        guard case .object(let members) = try JSONValue(parsing: json) else { return [] }
        // A member no payload has: read past, by both.
        var documents: [JSONValue] = [.object(members.merging(["unknownMember": ["a": [1, nil]]]) { $1 })]
        let replacements: [JSONValue] = [.null, true, 7, 2.5, "x", "", [], ["a": 1], "2026-13-01", "OTUK", "03"]
        for name in members.keys.sorted() {
            var without = members
            without[name] = nil
            documents.append(.object(without))
            for replacement in replacements {
                var changed = members
                changed[name] = replacement
                documents.append(.object(changed))
            }
        }
        let names = members.keys.sorted()
        for (index, first) in names.enumerated() {
            for second in names[(index + 1)...] {
                var swapped = members
                swapped[first] = members[second]
                swapped[second] = members[first]
                documents.append(.object(swapped))
            }
        }
        return documents
    }

    @Test("one change away from a payload's JSON: what Foundation refuses is not read, what it reads is read alike")
    func agreement() throws {
        /// How many of the documents the payload read itself.
        func check<P: EventPayload & DirectJSONDecodable>(_ payload: P) throws -> Int {
            var decodedDirectly = 0
            for document in try Self.neighbours(of: try ContractJSON.encode(payload)) {
                let json = try ContractJSON.encode(document)
                guard let direct = Self.direct(P.self, json) else { continue }
                decodedDirectly += 1
                #expect(direct == Self.foundation(P.self, json), "\(P.self): \(document)")
            }
            return decodedDirectly
        }
        for payload in Self.payloads {
            // The unknown member at least: the fast path is taken off the payload's exact JSON too.
            #expect(try check(payload) > 0, "\(type(of: payload))")
        }
    }

    @Test("the first of a name given twice counts, unknown members are ignored, escapes are read")
    func documentsOfOtherShapes() throws {
        let payload = try #require(Self.payloads.first as? YouthRegistered)
        let json = String(decoding: try ContractJSON.encode(payload), as: UTF8.self)
        let documents = [
            // A name given twice: Foundation takes the first.
            json.replacingOccurrences(of: #""unitId":"5001""#, with: #""unitId":"5001","unitId":"9999""#),
            // An unknown member, and whitespace.
            " " + json.replacingOccurrences(of: "{", with: #"{ "extra" : {"deep":[1,null]} , "#) + " ",
            // Escapes in a name and a value.
            json.replacingOccurrences(of: #""unitId":"5001""#, with: #""unit\u0049d":"50\u00301""#),
        ]
        for document in documents {
            let bytes = Array(document.utf8)
            let foundation = try #require(Self.foundation(YouthRegistered.self, bytes), "\(document)")
            #expect(foundation == payload)
            #expect(Self.direct(YouthRegistered.self, bytes) == foundation, "\(document)")
        }
        // Not an object, or not JSON at all.
        for document in ["[]", "\"x\"", "", "{", json + "}"] {
            #expect(Self.direct(YouthRegistered.self, Array(document.utf8)) == nil, "\(document)")
        }
    }
}

extension EventPayload {
    /// A copy changed by `change`.
    fileprivate func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}
