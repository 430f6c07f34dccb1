import GRDB
import OTContract
import OTRuntime

extension RegistrationsHandler {
    /// A case worker's command: validated first, then applied, and answered ACCEPTED or REJECTED (with a reason a
    /// case worker can read) on `ot.replies.v1`. A rejected command changes nothing.
    func handle(command: RegistrationCommand, cloudEvent: CloudEvent, context: HandlerContext) throws {
        let outcome: Result<Void, Rejection>
        let personId = (command.payload as? any PersonKeyedPayload)?.personId
        let limit = limit(in: context)
        // The person as of the command's day first (a school year that ended, say), then the command, then what
        // the facts say about the registration the command made or changed.
        if let personId { try reconcile(personId, upTo: limit, context: context) }
        if let refusal = try refusal(of: command, cloudEvent: cloudEvent, db: context.database), let personId {
            // Refused for who sent it: answered, and logged beside the lookups on ot.audit.v1.
            try context.emit(
                CommandRefused(
                    commandId: cloudEvent.id, commandType: cloudEvent.type, actor: refusal.actor, personId: personId,
                    reason: refusal.reason, occurredAt: Timestamp(context.now)),
                key: personId.digits)
            try reject(cloudEvent, reason: refusal.reason, context: context)
            return
        }
        do {
            // Every command but a registration and an erasure acts on the youth's open registration.
            let target = try personId.flatMap { try RegistrationRecord.open(context.database, $0) }
            try apply(command, context: context)
            if let personId, !command.erases {
                // From now on that registration carries a person's decisions: it changes only forward.
                if let target { try RegistrationRecord.markDecided(context.database, target.id) }
                try reconcile(personId, upTo: limit, context: context)
            }
            outcome = .success(())
        } catch let rejection as Rejection {
            outcome = .failure(rejection)
        }
        switch outcome {
        case .success:
            try context.emit(
                CommandReply(commandId: cloudEvent.id, commandType: cloudEvent.type, status: .accepted),
                key: cloudEvent.correlationID ?? cloudEvent.id)
        case .failure(let rejection):
            try reject(cloudEvent, reason: rejection.reason, context: context)
        }
    }

    /// Answers a command REJECTED with `reason`.
    func reject(_ cloudEvent: CloudEvent, reason: String, context: HandlerContext) throws {
        context.countRejection()
        try context.emit(
            CommandReply(commandId: cloudEvent.id, commandType: cloudEvent.type, status: .rejected, reason: reason),
            key: cloudEvent.correlationID ?? cloudEvent.id)
    }

    /// Why a command was rejected, in words for the case worker.
    struct Rejection: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private func apply(_ command: RegistrationCommand, context: HandlerContext) throws {
        let db = context.database
        switch command {
        case .register(let register):
            guard let unit = units.unit(register.unitId) else {
                throw Rejection("unit \(register.unitId) does not exist")
            }
            guard unit.countyNumber == register.countyNumber else {
                throw Rejection(
                    "unit \(unit.unitId) belongs to county \(unit.countyNumber.rawValue), not \(register.countyNumber.rawValue)"
                )
            }
            var person = try PersonRecord.fetchOrPlaceholder(db, register.personId)
            guard person.isInAgeGroup(on: register.date) else {
                throw Rejection(
                    "the youth is outside OT's age group (15 to \(OTAgeGroup.upperAge(on: register.date))) on \(register.date)"
                )
            }
            if try RegistrationRecord.open(db, register.personId) != nil {
                throw Rejection("the youth already has an open registration")
            }
            if !person.known { person.county = register.countyNumber }
            try person.save(db)
            try self.register(
                person, reason: register.reason, on: register.date, unit: unit, origin: .command, decided: true,
                context: context)

        case .recordContact(let contact):
            let (registration, person) = try openRegistration(contact.personId, notBefore: contact.date, db)
            try db.cachedStatement(
                sql: "INSERT INTO contacts (registration_id, date, channel, reached) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [registration.id, contact.date.description, contact.channel.rawValue, contact.reached])
            var current = registration
            // Contact is established only when the youth is reached; a letter or SMS without an answer is not.
            if contact.reached, registration.status == .otuk {
                current.status = .otov
                current.statusDate = contact.date
                try current.updateStatusAndUnit(db)
            }
            try emitContactRecorded(current, contact: contact, person: person, context: context)
            if current.status != registration.status {
                try emitStatusChanged(current, from: registration.status, person: person, context: context)
            }

        case .setStatus(let set):
            let (registration, person) = try openRegistration(set.personId, notBefore: set.effectiveDate, db)
            guard set.statusCode.isValid(on: set.effectiveDate) else {
                throw Rejection("status \(set.statusCode.rawValue) is not valid on \(set.effectiveDate)")
            }
            guard set.statusCode != registration.status else {
                throw Rejection("the registration already has status \(set.statusCode.rawValue)")
            }
            if set.statusCode.closesRegistration {
                try close(
                    registration, person: person, on: set.effectiveDate, cause: .statusCode, status: set.statusCode,
                    context: context)
            } else {
                var changed = registration
                changed.status = set.statusCode
                changed.statusDate = set.effectiveDate
                try changed.updateStatusAndUnit(db)
                try emitStatusChanged(changed, from: registration.status, person: person, context: context)
            }

        case .recordActivity(let activity):
            let (registration, person) = try openRegistration(activity.personId, notBefore: activity.date, db)
            try db.cachedStatement(
                sql: "INSERT INTO activities (registration_id, activity_type, date) VALUES (?, ?, ?)"
            ).execute(arguments: [registration.id, activity.activityType.rawValue, activity.date.description])
            try emitActivityRecorded(registration, activity: activity, person: person, context: context)

        case .transfer(let transfer):
            let (registration, person) = try openRegistration(transfer.personId, notBefore: transfer.date, db)
            guard let unit = units.unit(transfer.toUnitId) else {
                throw Rejection("unit \(transfer.toUnitId) does not exist")
            }
            guard unit.countyNumber == transfer.toCountyNumber else {
                throw Rejection(
                    "unit \(unit.unitId) belongs to county \(unit.countyNumber.rawValue), not \(transfer.toCountyNumber.rawValue)"
                )
            }
            guard unit.unitId != registration.unitId else {
                throw Rejection("the registration is already with unit \(unit.unitId)")
            }
            if unit.countyNumber == registration.county {
                var moved = registration
                moved.unitId = unit.unitId
                try moved.updateStatusAndUnit(db)
                try emitTransferred(moved, from: registration, on: transfer.date, person: person, context: context)
            } else {
                // Another county: the registration closes as moved (OTFA_IM) and the new county registers the youth.
                try close(
                    registration, person: person, on: transfer.date, cause: .statusCode, status: .otfaIM,
                    context: context)
                // The case worker's word on where the youth lives, dated as the transfer: a later person.updated
                // moves them on from there, an older one arriving late does not move them back. The person's other
                // values stay the latest person.updated's.
                let at = milliseconds(of: context.event?.cloudEvent.time ?? context.now)
                var moved = person
                moved.recordResidence(.init(date: transfer.date, at: at, county: unit.countyNumber))
                try moved.save(db)
                try self.register(
                    moved, reason: registration.reason, on: transfer.date, unit: unit, origin: .moved, decided: true,
                    context: context)
            }

        case .close(let close):
            let (registration, person) = try openRegistration(close.personId, notBefore: close.date, db)
            guard close.statusCode.closesRegistration else {
                throw Rejection("\(close.statusCode.rawValue) does not close a registration; use a group 5 code")
            }
            guard close.statusCode.isValid(on: close.date) else {
                throw Rejection("status \(close.statusCode.rawValue) is not valid on \(close.date)")
            }
            try self.close(
                registration, person: person, on: close.date, cause: .statusCode, status: close.statusCode,
                context: context)

        case .erasePerson(let erase):
            // A person in OT is erased only once their registration is closed (domain.md: a closed registration's
            // personal data should be removable); an open one is still the county's duty to follow up.
            if let open = try RegistrationRecord.open(db, erase.personId) {
                throw Rejection(
                    "the person has an open registration (\(open.id)); close it before erasing the person")
            }
            let ids = try String.fetchAll(
                try db.cachedStatement(
                    sql: """
                        SELECT registration_id FROM registrations WHERE person_id = ?
                        ORDER BY registered_at, registration_id
                        """),
                arguments: [erase.personId.digits])
            for table in ["contacts", "activities"] {
                try db.cachedStatement(
                    sql:
                        "DELETE FROM \(table) WHERE registration_id IN (SELECT registration_id FROM registrations WHERE person_id = ?)"
                ).execute(arguments: [erase.personId.digits])
            }
            for table in ["registrations", "person_facts", "persons_due", "persons"] {
                try db.cachedStatement(sql: "DELETE FROM \(table) WHERE person_id = ?").execute(arguments: [
                    erase.personId.digits
                ])
            }
            try context.emit(
                YouthErased(personId: erase.personId, registrationIds: ids, erasedAt: Timestamp(context.now)),
                key: erase.personId.digits)
            try context.scrubAfterPublishing()
        }
    }

    /// The person's open registration and record; rejects the command when there is none, or when `date` is
    /// before the registration.
    private func openRegistration(
        _ personId: NationalID, notBefore date: LocalDate, _ db: Database
    ) throws -> (RegistrationRecord, PersonRecord) {
        guard let registration = try RegistrationRecord.open(db, personId),
            let person = try PersonRecord.fetch(db, personId)
        else { throw Rejection("the youth has no open registration") }
        guard date >= registration.registeredAt else {
            throw Rejection("\(date) is before the registration (\(registration.registeredAt))")
        }
        return (registration, person)
    }
}

extension RegistrationCommand {
    /// Whether the command erases the person (nothing of them is left to bring up to date).
    fileprivate var erases: Bool { if case .erasePerson = self { true } else { false } }
}
