import Foundation
import GRDB
import OTContract
import OTRuntime

extension SchoolHistoryHandler {
    /// Answers a lookup: the audit entry first, then the reply, both in this transaction, so that no reply is ever
    /// published without its audit entry. A request that cannot be decoded is answered `INVALID` whenever its
    /// request id can be read (and dead-lettered too); without one it is only dead-lettered, and audited under the
    /// event's id.
    func answer(_ cloudEvent: CloudEvent, context: HandlerContext) throws {
        let request: SchoolHistoryRequest
        do {
            request = try cloudEvent.decodePayload()
        } catch {
            let reason = NationalID.maskingAll(in: "\(error)")
            let partial = PartialRequest(cloudEvent)
            try emit(
                audit: AccessLogEntry(
                    requestId: partial.requestId ?? cloudEvent.id, requester: partial.requester,
                    personId: partial.personId, purpose: partial.purpose, occurredAt: Timestamp(context.now),
                    outcome: .invalid, reason: reason, fieldsReturned: []),
                context: context)
            if let requestId = partial.requestId {
                try context.emit(
                    SchoolHistoryReply(requestId: requestId, status: .invalid, reason: reason), key: requestId)
            }
            context.deadLetter(reason: "\(error)")
            return
        }
        let (status, reason, reply) = try decide(request, db: context.database)
        try emit(
            audit: AccessLogEntry(
                requestId: request.requestId, requester: request.requester, personId: request.personId,
                purpose: request.purpose, occurredAt: Timestamp(context.now), outcome: status, reason: reason,
                fieldsReturned: reply.map(Self.fieldsReturned) ?? []),
            context: context)
        try context.emit(
            reply ?? SchoolHistoryReply(requestId: request.requestId, status: status, reason: reason),
            key: request.requestId)
    }

    private func emit(audit entry: AccessLogEntry, context: HandlerContext) throws {
        try context.emit(entry, key: entry.partitionKey)
    }

    /// The access rule (docs/school-history.md): an unknown person is `NOT_FOUND`; a county-scoped requester sees
    /// a youth registered in OT in their county or living there; a unit-scoped requester a youth registered in their
    /// unit; anything else is `DENIED`, with no data.
    private func decide(
        _ request: SchoolHistoryRequest, db: Database
    ) throws -> (LookupStatus, String?, SchoolHistoryReply?) {
        let person = request.personId.digits
        let livesIn = try String.fetchOne(
            try db.cachedStatement(sql: "SELECT county FROM persons WHERE person_id = ?"), arguments: [person]
        ).flatMap(County.init(rawValue:))
        let registration = try Row.fetchOne(
            try db.cachedStatement(sql: "SELECT * FROM registrations WHERE person_id = ? ORDER BY registered_at DESC"),
            arguments: [person])
        // Facts of one date by their events' times; of one time, by what they say (never by arrival).
        let entries = try Row.fetchAll(
            try db.cachedStatement(
                sql: "SELECT kind, entry FROM history WHERE person_id = ? ORDER BY date, at, kind, entry"),
            arguments: [person])
        guard livesIn != nil || registration != nil || !entries.isEmpty else {
            return (.notFound, "no school history or OT registration is known for the person", nil)
        }
        let requester = request.requester
        let registeredCounty = (registration?["county"] as String?).flatMap(County.init(rawValue:))
        let registeredUnit = registration?["unit_id"] as String?
        if let unit = requester.unitId {
            guard registeredUnit == unit, registeredCounty == requester.countyNumber else {
                return (.denied, "the youth is not registered in OT in unit \(unit)", nil)
            }
        } else {
            guard registeredCounty == requester.countyNumber || livesIn == requester.countyNumber else {
                return (
                    .denied,
                    "the youth is neither registered in OT nor living in county \(requester.countyNumber.rawValue)",
                    nil
                )
            }
        }
        var history = SchoolHistory()
        let decoder = JSONDecoder()
        for row in entries {
            let data = Data((row["entry"] as String).utf8)
            switch HistoryKind(rawValue: row["kind"]) {
            case .application:
                history.applications.append(try decoder.decode(SchoolHistory.Application.self, from: data))
            case .offer: history.offers.append(try decoder.decode(SchoolHistory.Offer.self, from: data))
            case .enrollment: history.enrollments.append(try decoder.decode(SchoolHistory.Enrollment.self, from: data))
            case .dropout: history.dropouts.append(try decoder.decode(SchoolHistory.Dropout.self, from: data))
            case .completion: history.completions.append(try decoder.decode(SchoolHistory.Completion.self, from: data))
            case nil: continue
            }
        }
        let current = try registration.map { row in
            CurrentRegistration(
                registrationId: row["registration_id"], unitId: row["unit_id"],
                countyNumber: try County(code: row["county"]), schoolYear: try SchoolYear(row["school_year"] as String),
                registeredAt: try LocalDate(row["registered_at"] as String),
                reason: try RegistrationReason(code: row["reason"]),
                statusCode: try OTStatusCode(code: row["status_code"]))
        }
        let reply = SchoolHistoryReply(
            requestId: request.requestId, status: .ok, history: history, registration: current,
            meanings: Self.meanings(of: history, registration: current))
        return (.ok, nil, reply)
    }

    /// The sections of a reply that hold something: what the audit entry says was disclosed.
    static func fieldsReturned(_ reply: SchoolHistoryReply) -> [String] {
        guard let history = reply.history else { return [] }
        var fields: [String] = []
        if !history.applications.isEmpty { fields.append("applications") }
        if !history.offers.isEmpty { fields.append("offers") }
        if !history.enrollments.isEmpty { fields.append("enrollments") }
        if !history.dropouts.isEmpty { fields.append("dropouts") }
        if !history.completions.isEmpty { fields.append("completions") }
        if reply.registration != nil { fields.append("registration") }
        return fields
    }

    /// What each code in the history and the registration means, keyed `<code list>:<code>`.
    static func meanings(of history: SchoolHistory, registration: CurrentRegistration?) -> [String: String] {
        var meanings: [String: String] = [:]
        let programmes =
            history.applications.flatMap { $0.choices.map(\.programmeAreaCode) }
            + history.offers.map(\.programmeAreaCode)
            + history.enrollments.map(\.programmeAreaCode)
        for code in programmes {
            if let meaning = ProgrammeArea.meaning(of: code) { meanings["programmeArea:\(code)"] = meaning }
        }
        for dropout in history.dropouts {
            meanings["dropoutReason:\(dropout.reasonCode.rawValue)"] = dropout.reasonCode.meaning
        }
        for completion in history.completions {
            meanings["qualification:\(completion.qualification.rawValue)"] = completion.qualification.meaning
        }
        if let registration {
            meanings["statusCode:\(registration.statusCode.rawValue)"] = registration.statusCode.meaning
        }
        return meanings
    }
}
