import Foundation
import Logging
import OTContract
import Testing

@testable import OTRuntime
@testable import Registrations

/// Reading a person together with whether any registration of theirs is stored (`PersonRecord.lookUp`), which lets
/// the handler skip reading the registrations when there are none.
@Suite("Registrations: a person and whether they have registrations, read together", .timeLimit(.minutes(2)))
struct PersonLookupTests {
    @Test("each of stored or not, with or without registrations, open or closed, in a real partition store")
    func lookUp() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reg-lookup-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try PartitionStore(
            partition: 0, directory: directory, serviceMigrations: RegistrationsSchema.migrations,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        defer { try? store.close() }
        // Stored with an open registration; stored with a closed one; stored without any; a registration without
        // the person's row; neither.
        let open = try NationalID.synthetic(birthDate: day("2008-01-01"), index: 1)
        let closed = try NationalID.synthetic(birthDate: day("2008-02-02"), index: 2)
        let none = try NationalID.synthetic(birthDate: day("2009-03-03"), index: 3)
        let orphan = try NationalID.synthetic(birthDate: day("2009-04-04"), index: 4)
        let unknown = try NationalID.synthetic(birthDate: day("2009-05-05"), index: 5)
        let lookups = try await store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO persons (person_id, birth_date, gender, county, municipality, known) VALUES
                        (?, '2008-01-01', 'K', '50', '5001', 1),
                        (?, '2008-02-02', NULL, '18', NULL, 0),
                        (?, '2009-03-03', 'M', '03', '0301', 1);
                    INSERT INTO registrations (registration_id, person_id, unit_id, county, school_year, reason,
                        registered_at, status_code, status_date, ages_out_on, closed_at, close_cause, close_status)
                    VALUES
                        ('r1', ?, '5001', '50', '2025-2026', 'SLUTTET', '2025-10-01', 'OTUK', '2025-10-01',
                            '2032-12-31', NULL, NULL, NULL),
                        ('r2', ?, '1801', '18', '2024-2025', 'IKKE_SOKT', '2024-08-15', 'OTAV', '2024-09-01',
                            '2032-12-31', '2025-07-31', 'SCHOOL_YEAR_ENDED', 'OTAV'),
                        ('r3', ?, '1801', '18', '2025-2026', 'TAKKET_NEI', '2025-08-20', 'OTUK', '2025-08-20',
                            '2033-12-31', NULL, NULL, NULL)
                    """,
                arguments: [open.digits, closed.digits, none.digits, open.digits, closed.digits, orphan.digits])
            return try [open, closed, none, orphan, unknown].map { try PersonRecord.lookUp(db, $0) }
        }
        #expect(lookups.map(\.hasRegistrations) == [true, true, false, true, false])
        #expect(lookups.map { $0.person?.personId } == [open, closed, none, nil, nil])
        #expect(lookups[0].person?.county == .trondelag && lookups[0].person?.gender == .kvinne)
        #expect(lookups[0].person?.known == true && lookups[1].person?.known == false)
        #expect(lookups[1].person?.birthDate == day("2008-02-02") && lookups[1].person?.gender == nil)
        #expect(lookups[2].person?.municipality == "0301" && lookups[2].person?.county == .oslo)
    }
}
