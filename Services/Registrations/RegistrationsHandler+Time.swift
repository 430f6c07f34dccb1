import Foundation
import GRDB
import OTContract
import OTRuntime
import OTStore

extension RegistrationsHandler {
    /// Time-driven rules for the partition: each person with an open registration that today's date has work for
    /// (a school year ended, the upper age passed) or with a fact dated today or earlier that arrived ahead of its
    /// day is brought up to date (``reconcile(_:upTo:context:)``, which applies ``advance(_:person:to:context:)``).
    ///
    /// Not while the partition is catching up: the events still waiting happened before now, and live they would
    /// have been processed before the boundary passed. Until then each event brings its own person up to the
    /// event's day; the rest follow once the partition has caught up.
    func tick(context: HandlerContext) throws {
        guard context.inputCaughtUp else { return }
        let today = LocalDate(context.now)
        let db = context.database
        var persons = Set(try RegistrationRecord.duePersons(db, today: today))
        var due: [String] = []
        let select = try DirectStatement(db, sql: "SELECT person_id FROM persons_due WHERE date <= ?")
        try select.bind(today.description, at: 1)
        try select.forEachRow { row in due.append(row.text(0) ?? "") }
        persons.formUnion(due)
        if !due.isEmpty {
            let delete = try DirectStatement(db, sql: "DELETE FROM persons_due WHERE date <= ?")
            try delete.bind(today.description, at: 1)
            try delete.execute()
        }
        // In a fixed order: the ids of what the tick emits derive from it.
        for digits in persons.sorted() {
            try reconcile(try NationalID(digits), upTo: today, context: context)
        }
    }
}
